// OpenLLMetry (@traceloop/node-server-sdk) with the openai client; see lib/traceloop-run.mjs.
import { traceloopScenario } from '../lib/traceloop-run.mjs';

await traceloopScenario('openai');
