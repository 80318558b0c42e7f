/** The help text of `agentprof`. */
export const usage = `Usage: agentprof <command> [options]

Commands:
  report FILE                 Analyse a profile and print the report. FILE is a native
                              profile, OTLP/JSON, a Chrome trace or OpenTelemetry console output.
      --json                  One JSON document instead of text (keys in docs/cli.md).
      --budgets FILE          Budgets file (default: ./agentprof.budgets.json when present).
      --run N                 Which run of a file holding several (OTLP traces); default 1.
      --no-color              Plain text even on a terminal (NO_COLOR is honoured too).
  compare BASE FILE           Compare a run with a baseline run.
      --json                  JSON instead of text.
      --markdown              Markdown instead of text (what the compare view exports).
      --fail-on-regression P  Exit 1 when a p95 grows by more than P percent (default 10).
  run [--out FILE] -- CMD...  Run an agent under the Python recorder, then report.
      --json                  Report as JSON.
  export --format F FILE      Write a run as chrome (Perfetto), speedscope, prometheus,
                              openmetrics, markdown, html or sarif.
      -o, --out OUT           Output file (default: stdout).
      --run N, --budgets FILE As for report.

Exit codes: 0 ok; 1 regression (compare) or the agent failed (run); 2 bad usage or nothing
usable could be read.
`;
