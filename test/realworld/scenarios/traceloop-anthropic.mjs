// OpenLLMetry (@traceloop/node-server-sdk) with the anthropic client; see lib/traceloop-run.mjs.
import { traceloopScenario } from '../lib/traceloop-run.mjs';

await traceloopScenario('anthropic');
