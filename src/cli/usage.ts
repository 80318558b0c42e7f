/** The help text of `agentprof`. */
export const usage = `Usage: agentprof <command> [options]

Commands:
  report FILE                 Analyse a profile and print the report. FILE is a native
                              profile, OTLP/JSON, a Chrome trace or OpenTelemetry console output.
      --json                  One JSON document instead of text (keys in docs/cli.md).
      --budgets FILE          Budgets file (default: ./agentprof.budgets.json when present).
      --run N|TRACE_ID        One run of a file holding several (OTLP traces); default: every
                              run, then a total line (--json: run 1, with the list of runs).
      --no-color              Plain text even on a terminal (NO_COLOR is honoured too).
      --limit N               Rows per list (default 50 in JSON, 15 in text); the critical
                              path is folded to N entries (short segments merged).
      --full                  Every row and the whole critical path, unfolded.
      --no-group-names        Keep names with numbers or ids apart (step_1:llm_call,
                              step_2:llm_call) instead of grouping them (step_{n}:llm_call).
  compare BASE FILE           Compare a run with a baseline run.
      --json                  JSON instead of text.
      --markdown              Markdown instead of text (what the compare view exports).
      --fail-on-regression P  Exit 1 when a p95 grows by more than P percent (default 10).
      --limit N, --full, --no-group-names  As for report.
  run [--out FILE] -- CMD...  Run an agent under the Python recorder, then report.
      --json                  Report as JSON.
  export --format F FILE      Write a run as chrome (Perfetto), speedscope, prometheus,
                              openmetrics, markdown, html or sarif.
      -o, --out OUT           Output file (default: stdout).
      --run N|TRACE_ID        One run of a file holding several; default 1.
      --budgets FILE          As for report.
      --no-group-names        As for report.
  mcp [PATH...]               Serve the chat tools over MCP (stdio) for Claude Code, Cursor,
                              VS Code. PATHs: folders to search for profiles (default .) or files.
      --baseline FILE         The run agentProfiler_compare compares with by default.
      --regression-pct P      Regression threshold of compare (default 10).
  tool NAME [PATH...]         Print one chat tool's JSON answer (docs/chat-tools.md).
      --input JSON            The tool's input, e.g. '{"limit": 3}'.
  collect --port P --out DIR  Receive OTLP traces (HTTP JSON/protobuf on 127.0.0.1:P, default
                              4318) into DIR/*.otlp.jsonl; prints the endpoint; Ctrl+C stops.
      --grpc-port G           Also receive OTLP/gRPC on 127.0.0.1:G. Port 0 picks a free one.

Exit codes: 0 ok; 1 regression (compare) or the agent failed (run); 2 bad usage or nothing
usable could be read.
`;
