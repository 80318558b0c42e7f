"""A small research agent, instrumented with agentprof.

It answers one question the way a tool-using agent does: recall notes, plan, search the web in
parallel, read the best sources, summarise them, write the answer. The LLM and tool calls are
simulated (a sleep and the token counts a real call would report), so it needs no API key and
no network. Latencies come from a seeded random generator, so every run tells the same story:

- reading sources calls a slow web scraper three times in a row: the run's main bottleneck;
- one PDF download times out; the agent carries on without it;
- two search hits are the same article, so its second summary comes from the agent's cache.

Run it from the repository root:

    PYTHONPATH=recorders/python python3 examples/research_agent/agent.py
"""
import asyncio
import random
import time
from dataclasses import dataclass
from typing import Dict, List, Optional

# The closing lines state facts; the bottlenecks are the extension's verdict (agentprof report).
from agentprof import PerformanceProfiler, TokenProfiler, closing_summary

profiler = PerformanceProfiler()
tokens = TokenProfiler()
rng = random.Random(2024)

QUESTION = "How well do air-source heat pumps heat homes in cold climates?"
PLANNER = "claude-3-5-sonnet-20241022"  # provider: anthropic
WORKER = "gpt-4o-mini"  # provider: openai
REASONER = "o3-mini"  # provider: openai


@dataclass
class Usage:
    """The usage block an LLM API returns. prompt_tokens includes the cached prompt tokens."""

    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int = 0
    reasoning_tokens: int = 0


def latency(seconds: float) -> float:
    """A simulated latency: the typical time, give or take 10 %."""
    return seconds * rng.uniform(0.9, 1.1)


async def call_llm(seconds: float, usage: Usage) -> Usage:
    await asyncio.sleep(latency(seconds))  # stands in for the HTTP call
    return usage


# --- memory ------------------------------------------------------------------------------------

NOTES = {"heat pump": ["2023 field study: seasonal COP 2.6 in Minnesota homes"]}


def recall(question: str) -> List[str]:
    with profiler.timer("memory:lookup", store="notes"):
        time.sleep(latency(0.04))
        return [note for topic, notes in NOTES.items() if topic in question.lower() for note in notes]


def remember(question: str, answer: str) -> None:
    with profiler.timer("memory:save", store="notes"):
        time.sleep(latency(0.03))
        NOTES.setdefault("heat pump", []).append(answer[:80])


# --- planning ----------------------------------------------------------------------------------

async def make_plan(question: str, notes: List[str]) -> List[str]:
    with profiler.timer("llm:planning", model=PLANNER, notes=len(notes)):
        usage = await call_llm(0.6, Usage(2_310, 402, cached_tokens=1_792))
        tokens.record("llm:planning", usage.prompt_tokens, usage.completion_tokens, PLANNER,
                      provider="anthropic", cache_read_tokens=usage.cached_tokens, prompt=question)
    return ["heat pump efficiency below -15 C", "cold climate heat pump field trial", "heat pump defrost losses"]


# --- step 1: search ----------------------------------------------------------------------------

SEARCH_INDEX = {
    "heat pump efficiency below -15 C": ["https://energy.example.org/cold-cop", "https://journal.example.com/hp-2024.pdf"],
    "cold climate heat pump field trial": ["https://news.example.net/field-trial", "https://energy.example.org/cold-cop"],
    "heat pump defrost losses": ["https://lab.example.edu/defrost"],
}


@profiler.timed("tool:web_search")
async def web_search(query: str) -> List[str]:
    await asyncio.sleep(latency(0.5))
    return SEARCH_INDEX[query]


async def search(queries: List[str]) -> List[str]:
    with profiler.timer("step_1:search", queries=len(queries)):
        results = await asyncio.gather(*(web_search(query) for query in queries))
        hits = [url for urls in results for url in urls]
        with profiler.timer("llm:rank_results", model=WORKER):
            usage = await call_llm(0.35, Usage(1_850, 120))
            tokens.record("llm:rank_results", usage.prompt_tokens, usage.completion_tokens, WORKER, provider="openai")
    return hits


# --- step 2: read ------------------------------------------------------------------------------

PAGES = {
    "https://energy.example.org/cold-cop": "Measured COP stays above 1.8 down to -25 C for cold-climate units...",
    "https://news.example.net/field-trial": "Measured COP stays above 1.8 down to -25 C for cold-climate units...",
    "https://lab.example.edu/defrost": "Defrost cycles cost 5-10 % of heating output in humid cold air...",
}


def web_scrape(url: str) -> str:
    """A headless-browser fetch: slow, and called once per page."""
    with profiler.timer("tool:web_scrape", url=url):
        time.sleep(latency(1.6))
        return PAGES[url]


async def fetch_pdf(url: str) -> str:
    with profiler.timer("tool:fetch_pdf", url=url):
        await asyncio.sleep(latency(0.3))
        raise TimeoutError(f"{url} did not answer in 0.3 s")


async def read_sources(hits: List[str]) -> List[str]:
    urls = list(dict.fromkeys(hits))  # two searches found the same page
    pages = []
    with profiler.timer("step_2:read", sources=len(urls)):
        for url in urls:
            if not url.endswith(".pdf"):
                pages.append(web_scrape(url))
        for url in urls:
            if url.endswith(".pdf"):
                try:
                    pages.append(await fetch_pdf(url))
                except TimeoutError as error:
                    print(f"  skipped a source: {error}")
    return pages


# --- step 3: summarise, with a response cache ----------------------------------------------------

CACHE: Dict[str, str] = {}


async def summarize(page: str) -> str:
    prompt = f"Summarise for a homeowner:\n{page}"
    with profiler.timer("llm:summarize", key=prompt, model=WORKER) as span:
        cached: Optional[str] = CACHE.get(prompt)
        span.metadata["cache"] = "hit" if cached is not None else "miss"
        if cached is not None:
            return cached  # a hit costs no tokens and almost no time
        usage = await call_llm(0.45, Usage(3_900 + rng.randrange(400), 240 + rng.randrange(80), cached_tokens=1_024))
        tokens.record("llm:summarize", usage.prompt_tokens, usage.completion_tokens, WORKER,
                      provider="openai", cache_read_tokens=usage.cached_tokens, prompt=prompt)
        CACHE[prompt] = summary = page[:60]
        return summary


async def summarize_all(pages: List[str]) -> List[str]:
    with profiler.timer("step_3:summarize", pages=len(pages)):
        return [await summarize(page) for page in pages]


# --- step 4: answer ----------------------------------------------------------------------------

async def synthesize(question: str, summaries: List[str]) -> str:
    with profiler.timer("step_4:answer"):
        with profiler.timer("llm:synthesis", model=REASONER):
            usage = await call_llm(1.1, Usage(2_940, 1_610, reasoning_tokens=1_024))
            tokens.record("llm:synthesis", usage.prompt_tokens, usage.completion_tokens, REASONER,
                          provider="openai", reasoning_tokens=usage.reasoning_tokens, prompt=question)
    return "Cold-climate heat pumps keep a COP near 2 at -15 C; defrost costs 5-10 %."


# --- the agent ---------------------------------------------------------------------------------

async def research(question: str) -> str:
    with profiler.timer("agent:research", question=question):
        notes = recall(question)
        plan = await make_plan(question, notes)
        hits = await search(plan)
        pages = await read_sources(hits)
        summaries = await summarize_all(pages)
        answer = await synthesize(question, summaries)
        remember(question, answer)
    return answer


def main() -> None:
    tokens.set_budget("llm", 25_000)
    started = time.perf_counter()
    print(f"Question: {QUESTION}")
    answer = asyncio.run(research(QUESTION))
    print(f"Answer: {answer}\n")

    print(profiler.get_waterfall())
    within, remaining = tokens.check_budget("llm")
    print(f"\nLLM budget {'kept' if within else 'exceeded'} ({remaining:,} tokens left); "
          f"process time {time.perf_counter() - started:.1f} s")
    print(closing_summary(profiler, tokens))


if __name__ == "__main__":
    main()
