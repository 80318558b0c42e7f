/**
 * `agentprof mcp [PATH...] [--baseline FILE] [--regression-pct P]`: the chat tools as a Model
 * Context Protocol server over stdio, on the official SDK, for Claude Code, Cursor, VS Code or any
 * MCP client. PATHs are folders to search for profiles and OTLP traces (default: the working
 * folder) or single files. Stdout carries protocol messages only; problems go to stderr.
 *
 * `agentprof tool NAME [JSON] [PATH...]`: one tool's answer on stdout, the same JSON document.
 */
import * as fs from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { answerText, answerTool, isToolError, isToolName, TOOL_DEFINITIONS } from '../core/present/tools';
import { parse, UsageError } from './args';
import { FileCatalog } from './file-catalog';
import { LineGuard } from './mcp-guard';
import { version as VERSION } from '../../package.json';

const INSTRUCTIONS =
  'Agent Profiler answers questions about profiled AI-agent runs: why a run was slow, what it cost, and what to change. ' +
  'Start with agentProfiler_summary (or agentProfiler_listRuns to pick a run); locations are workspace-relative path:line.';

/** Reads PATH arguments and the options shared by `mcp` and `tool` into a catalog. */
function catalogFrom(paths: string[], baseline: string | undefined, regressionPct: string | undefined): FileCatalog {
  let pct: number | undefined;
  if (regressionPct !== undefined) {
    pct = Number(regressionPct);
    if (!Number.isFinite(pct) || pct < 0) throw new UsageError(`--regression-pct takes a percentage, got '${regressionPct}'`);
  }
  const roots: string[] = [];
  const files: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) throw new UsageError(`no such file or folder: ${p}`);
    (st.isDirectory() ? roots : files).push(p);
  }
  if (!roots.length) roots.push('.');
  return new FileCatalog({ roots, files, baseline, regressionPct: pct });
}

const OPTIONS = {
  baseline: { type: 'string' },
  'regression-pct': { type: 'string' },
} as const;

/** Serves until the client closes stdin. */
export async function runMcp(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS);
  const catalog = catalogFrom(positionals, values.baseline, values['regression-pct']);
  const server = new Server({ name: 'agent-profiler', title: 'Agent Profiler', version: VERSION }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOL_DEFINITIONS.map((t) => ({
      name: t.name,
      title: t.displayName,
      description: t.modelDescription,
      inputSchema: t.inputSchema,
      annotations: { title: t.displayName, readOnlyHint: true, openWorldHint: false },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: input } = request.params;
    // An unknown tool is a protocol error (MCP); bad arguments are a tool error the model can read and fix.
    if (!isToolName(name)) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name.slice(0, 80)}`);
    const answer = await answerTool(name, input, catalog);
    return { content: [{ type: 'text', text: answerText(answer) }], isError: isToolError(answer) };
  });

  const guard = new LineGuard((response) => process.stdout.write(`${JSON.stringify(response)}\n`));
  process.stdin.pipe(guard);
  const transport = new StdioServerTransport(guard, process.stdout);
  server.onerror = (err) => process.stderr.write(`agentprof mcp: ${err.message}\n`);
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.close();
  return 0;
}

/** `agentprof tool NAME [JSON] [PATH...]`: prints one answer; exit 1 when the answer is an error. */
export async function runTool(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { ...OPTIONS, input: { type: 'string' } });
  const [name, ...paths] = positionals;
  if (!name || !isToolName(name)) throw new UsageError(`tool takes a tool name: ${TOOL_DEFINITIONS.map((t) => t.name).join(', ')}`);
  let input: unknown = {};
  if (values.input !== undefined) {
    try {
      input = JSON.parse(values.input);
    } catch (err) {
      throw new UsageError(`--input is not JSON: ${(err as Error).message}`);
    }
  }
  const answer = await answerTool(name, input, catalogFrom(paths, values.baseline, values['regression-pct']));
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  return isToolError(answer) ? 1 : 0;
}
