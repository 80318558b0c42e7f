/**
 * What `activate` returns: a small handle for the extension-host tests (and nothing else) to look
 * at the store and the tree without reaching into module internals.
 */
import type { McpLaunch } from './mcp-provider';
import type { ProfileStore } from './store';
import type { TreeNode } from './tree-node';

export interface AgentProfilerApi {
  readonly store: ProfileStore;
  /** The runs tree's children of `node` (the roots when absent), as the view gets them. */
  treeChildren(node?: TreeNode): TreeNode[];
  /** The `agentprof mcp` command line offered to VS Code; undefined where VS Code has no MCP API. */
  readonly mcpLaunch: (() => McpLaunch) | undefined;
}
