/**
 * A small simulated research agent profiled with the Node recorder: no network, every model and
 * tool call is a setTimeout sleep. It plans with one model, runs three tools in parallel (one
 * fails once and is retried), checks a memory cache, and writes the answer with a second model.
 *
 * Run from the repo root:
 *
 *   AGENTPROF_OUT=/tmp/x.agentprof.jsonl node --import tsx examples/node-agent/agent.ts
 *
 * then open /tmp/x.agentprof.jsonl in VS Code (Agent Profiler) or `node dist/cli.js report` it.
 * Without AGENTPROF_OUT the profile goes to .agentprof/<UTC time>-agent.agentprof.jsonl.
 */
import { createHash } from 'node:crypto';
import { profiler, tokens } from '../../recorders/node/index';

const PLANNER = 'gpt-4o-mini';
const WRITER = 'claude-sonnet-4-5';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

class ToolTimeoutError extends Error {}

/** A pretend LLM call: latency grows with the output length. */
async function callModel(model: string, prompt: string, outputTokens: number): Promise<string> {
  await sleep(20 + outputTokens / 10);
  return `${model} answer to: ${prompt.slice(0, 30)}`;
}

const memory = new Map<string, string>();

const webSearch = profiler.timed('tool:web_search', async (query: string): Promise<string[]> => {
  const cached = profiler.timer('memory:lookup', () => memory.get(query), { query });
  if (cached !== undefined) return [cached];
  await sleep(60);
  const results = [`result about ${query}`, `another page on ${query}`];
  profiler.timer('memory:store', () => memory.set(query, results[0]));
  return results;
});

let weatherAttempts = 0;
const weather = profiler.timed('tool:weather', async (city: string): Promise<string> => {
  weatherAttempts += 1;
  await sleep(25);
  if (weatherAttempts === 1) throw new ToolTimeoutError(`weather service timed out for ${city}`);
  return `sunny in ${city}`;
});

async function weatherWithRetry(city: string): Promise<string> {
  try {
    return await weather(city);
  } catch {
    return profiler.timer('agent:retry', () => weather(city), { tool: 'weather' });
  }
}

const calculator = profiler.timed('tool:calculator', async (expression: string): Promise<number> => {
  await sleep(5);
  return expression.split('+').reduce((sum, term) => sum + Number(term), 0);
});

async function main(): Promise<void> {
  tokens.setBudget('llm', 20_000);
  const question = 'Should I cycle to the conference in Lyon tomorrow, and how far is it?';

  const answer = await profiler.timer('agent:run', async () => {
    const plan = await profiler.timer(
      'llm:planning',
      async () => {
        const prompt = `Plan the steps to answer: ${question}`;
        const text = await callModel(PLANNER, prompt, 180);
        tokens.record('llm:planning', 1450, 180, PLANNER, {
          provider: 'openai',
          cacheReadTokens: 1024,
          promptHash: hashOf(prompt),
        });
        return text;
      },
      { model: PLANNER },
    );

    const [pages, forecast, distance] = await profiler.timer('agent:tools', () =>
      Promise.all([webSearch('Lyon conference venue'), weatherWithRetry('Lyon'), calculator('12+7+3')]),
    );
    await webSearch('Lyon conference venue'); // answered from memory this time

    return profiler.timer(
      'llm:synthesis',
      async () => {
        const prompt = `${plan}\n${pages.join('\n')}\n${forecast}\n${distance} km`;
        const text = await callModel(WRITER, prompt, 420);
        tokens.record('llm:synthesis', 3200, 420, WRITER, {
          provider: 'anthropic',
          cacheWriteTokens: 2048,
          reasoningTokens: 120,
          promptHash: hashOf(prompt),
        });
        return text;
      },
      { model: WRITER },
    );
  });

  const [within, remaining] = tokens.checkBudget('llm');
  console.log(answer);
  console.log(`llm budget: ${within ? 'within' : 'over'}, ${remaining} tokens left`);
  console.log(profiler.getSummary());
}

void main();
