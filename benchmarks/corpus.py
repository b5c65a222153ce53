"""Papers that look like arXiv's for the benchmark: real-length abstracts, titles with
LaTeX and punctuation, long comments with links, many authors. Deterministic (seeded),
so that every run measures the same bytes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from daily_papers.paper import Paper

NEWEST = datetime(2025, 5, 26, 17, 59, 46, tzinfo=timezone.utc)

KEYWORDS = (
    "Reward Model", "Reasoning", "Diffusion Models", "Retrieval-Augmented Generation", "Mixture of Experts",
    "Speculative Decoding", "Vision-Language Models", "Preference Optimization", "Code Generation",
    "State Space Models", "Graph Neural Networks", "Federated Learning", "Time Series Forecasting",
    "Neural Radiance Fields", "Model Merging", "Quantization", "Long Context", "Tool Use", "AI Safety",
    "Protein Design",
)
"""Keyword names; more keywords than these get numbered variants."""

_METHODS = ("Lumen", "SPARC", "DeepVerify", "Chain-of-Thought", "PRM-Bench", "Hydra", "TokenSkip", "MetaFlow",
            "R1-Zero", "Orca", "AlphaProof", "FlashSearch", "GRPO", "Self-Refine", "Q*", "LaTent")
_ADJECTIVES = ("Scalable", "Robust", "Efficient", "Provably Stable", "Test-Time", "Self-Supervised",
               "Multi-Step", "Sparse", "Uncertainty-Aware", "Long-Horizon", "Data-Efficient", "Verifiable")
_NOUNS = ("Process Reward Models", "Policy Optimization", "Preference Learning", "Mathematical Reasoning",
          "Tree Search", "Reinforcement Learning from Human Feedback", "Value Estimation",
          "Latent Diffusion", "In-Context Learning", "Step-Level Verification", "Token Budgets")
_TASKS = ("Large Language Models", "Multimodal Agents", "Theorem Proving", "Code Synthesis",
          "Open-Domain QA", "Robotic Manipulation", "Scientific Discovery", "Long-Form Generation")

_SENTENCES = (
    "We propose {method}, a {adj} approach to {noun} for {task} that needs no additional human labels.",
    ("Existing methods rely on outcome supervision, which rewards correct answers reached through flawed "
     "intermediate steps and gives a sparse signal on long trajectories."),
    ("Our key insight is that {noun} can be cast as a ranking problem over partial solutions, which admits "
     "an $\\mathcal{{O}}(n \\log n)$ algorithm and a tight bound on the regret."),
    ("On GSM8K, MATH and AIME 2024, {method} improves accuracy by 4.1--9.7 points over strong baselines "
     "while using 38% fewer tokens at inference time."),
    ("We further show that the learned verifier transfers across model families (7B to 70B parameters) "
     "without fine-tuning, and that its errors are well calibrated (ECE < 0.03)."),
    ("A detailed ablation isolates the contribution of each component: the step-level signal, the "
     "curriculum over problem difficulty, and the KL penalty with coefficient $\\beta = 0.05$."),
    ("Surprisingly, scaling the number of sampled solutions $N$ beyond 64 yields diminishing returns unless "
     "the reward model is refreshed on the policy's own distribution."),
    ("We release a benchmark of 12,480 annotated trajectories covering algebra, geometry, combinatorics and "
     "number theory, with human judgements of every intermediate step."),
    ("Our analysis reveals failure modes of current {noun} pipelines, including reward hacking through "
     "verbose but vacuous explanations and sensitivity to the order of the candidate solutions."),
    ("Finally, we discuss the implications for {task} and outline how {method} can be combined with "
     "search at test time to trade compute for accuracy in a controlled way."),
    ("Theoretical results establish convergence under mild assumptions on the smoothness of the reward "
     "landscape and the coverage of the reference policy (Theorem 3.2)."),
    ("Experiments on eight benchmarks in three domains confirm that the gains hold in the low-data regime, "
     "where only 1% of the training problems carry labels."),
)
_CODE_HOSTS = ("https://github.com/{org}/{repo}", "https://huggingface.co/{org}/{repo}",
               "https://gitlab.com/{org}/{repo}")
_FIRST = ("Wei", "Ana", "Jürgen", "Priya", "Mohammed", "Chloé", "Kenji", "Olga", "Luis", "Sara", "Tomás",
          "Yuki", "Ahmed", "Ingrid", "Hao", "Zoë", "Rahul", "Emma", "Dmitri", "Fatima")
_LAST = ("Zhang", "García", "Müller", "Patel", "Al-Sayed", "Dubois", "Tanaka", "Ivanova", "Hernández",
         "Kowalski", "Nakamura", "O'Brien", "Chen", "Svensson", "Liu", "Nguyen", "Gupta", "Rossi", "Kim")
_COMMENTS = (
    None, None, None,
    "Accepted at ICML 2025",
    "12 pages, 5 figures, 4 tables",
    "Accepted to NeurIPS 2025 (spotlight). Code: https://github.com/{org}/{repo}",
    "Technical report; 34 pages including appendix. Project page: https://{org}.github.io/{repo}/",
    "ACL 2025 Findings; 9 pages main text, 21 pages total",
    "Work in progress",
)
_CATEGORIES = ("cs.LG", "cs.CL", "cs.AI", "cs.CV", "stat.ML", "cs.RO", "math.OC")


def keyword_names(count: int) -> list[str]:
    """``count`` distinct keyword names, the common ones first."""
    names = list(KEYWORDS[:count])
    for number in range(len(names), count):
        names.append(f"{KEYWORDS[number % len(KEYWORDS)]} {number // len(KEYWORDS) + 1}")
    return names


def papers(keyword_index: int, count: int, *, first: int = 0, newest: datetime = NEWEST) -> tuple[Paper, ...]:
    """``count`` papers of one keyword, newest first, an hour apart, starting with paper
    number ``first`` (a later day's new papers get numbers above the stored ones)."""
    return tuple(_paper(keyword_index, number, newest - timedelta(hours=i))
                 for i, number in enumerate(range(first + count - 1, first - 1, -1)))


def _paper(keyword_index: int, number: int, updated: datetime) -> Paper:
    rng = random.Random(keyword_index * 100_003 + number)
    org, repo = rng.choice(("openlm", "deepmind-lab", "nlp-uni", "ai2")), f"{rng.choice(_METHODS).lower()}-{number}"
    fill = {"method": rng.choice(_METHODS), "adj": rng.choice(_ADJECTIVES).lower(), "noun": rng.choice(_NOUNS).lower(),
            "task": rng.choice(_TASKS).lower(), "org": org, "repo": repo}
    arxiv_id = f"25{keyword_index % 12 + 1:02d}.{(keyword_index * 200 + number) % 100_000:05d}"
    version = rng.choice((1, 1, 1, 2, 2, 3))
    categories = (rng.choice(_CATEGORIES), *rng.sample(_CATEGORIES, rng.randint(1, 3)))
    comment = rng.choice(_COMMENTS)
    return Paper(
        id=arxiv_id,
        version=version,
        title=f"{fill['method']}: {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} for {rng.choice(_TASKS)}"
        + rng.choice(("", " via $k$-Step Lookahead", " -- A Large-Scale Study", " (Extended Version)")),
        updated=updated,
        published=updated - timedelta(days=rng.randint(0, 30)),
        authors=tuple(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(2, 12))),
        abstract=_abstract(rng, fill),
        comment=comment.format(**fill) if comment else None,
        categories=tuple(dict.fromkeys(categories)),
        primary_category=categories[0],
        doi=f"10.48550/arXiv.{arxiv_id}" if rng.random() < 0.2 else None,
        journal_ref="Proc. ICML 2025, PMLR 267" if rng.random() < 0.1 else None,
        abs_url=f"https://arxiv.org/abs/{arxiv_id}v{version}",
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}v{version}",
    )


def _abstract(rng: random.Random, fill: dict[str, str]) -> str:
    """About 1,900 characters (arXiv's limit is 1,920); one in five ends with a code link."""
    ending = f" Code is available at {rng.choice(_CODE_HOSTS).format(**fill)}." if rng.random() < 0.2 else ""
    target = rng.randint(1880, 1920) - len(ending)
    sentences = list(_SENTENCES)
    rng.shuffle(sentences)
    text = ""
    for sentence in sentences * 2:
        candidate = f"{text} {sentence.format(**fill)}".strip()
        if len(candidate) <= target:
            text = candidate
    return text + ending


# The worst inputs of each class the Markdown filters and the import parsers were made
# linear for: each a function of a size in bytes, so that a measure gets the same bytes.

_HEADER = "| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |\n"
_ROW = "| **[T](http://arxiv.org/abs/2505.00001v1)** | 2025-05-01 | "


def plain(size: int) -> str:
    """``size`` characters of ordinary words: the floor the worst inputs are compared with."""
    return ("reward models for reasoning " * (size // 28 + 1))[:size]


def _fill(unit: str, size: int) -> str:
    return unit * max(size // len(unit), 1)


RENDER_WORST = {
    "a URL and a run of )": lambda size: "see https://x.org/a" + ")" * size,
    "a URL and a run of punctuation": lambda size: "see https://x.org/a" + _fill(".,;)", size),
    "many URLs": lambda size: _fill("https://x.org/a ", size),
    "a code URL and a run of .": lambda size: "https://github.com/a/b" + "." * size,
}
"""Text for an abstract and a comment (rendered as a table row)."""
render_floor = plain

IMPORT_WORST = {
    "a heading padded with spaces": lambda size: "## a" + " " * size + "b\n" + _HEADER,
    "a delimiter row padded with spaces": lambda size: "## a\n| **Title** | **Date** |\n| ---" + " " * size + "x\n",
    "a cell ending in a run of spaces": lambda size: "## a\n" + _HEADER + _ROW + "a" + " " * size + "b | c |\n",
    "repeated title-cell candidates": lambda size: "## a\n" + _HEADER + "| **[t"
    + _fill("](x)** | 2025-05-01 | a | b |", size) + "x\n",
}
"""DailyArXiv READMEs (one line of ``size`` bytes each)."""
def import_floor(size: int) -> str:
    """A README of the same size as an import worst input: one row with a long plain abstract."""
    return "## a\n" + _HEADER + _ROW + plain(size) + " | c |\n"

CV_WORST = {
    "a cv-arxiv-daily row of title candidates": lambda size: "|2025-05-01|**" + _fill("t**|a|[x](y)|", size) + "x",
}
"""Rows of a cv-arxiv-daily JSON file."""
def cv_floor(size: int) -> str:
    """A cv-arxiv-daily row with a long plain title."""
    return "|2025-05-01|**" + plain(size) + "**|A et.al.|[2505.00001](http://arxiv.org/abs/2505.00001)|null|"
