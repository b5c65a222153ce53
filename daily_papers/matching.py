"""Whether a paper belongs to a keyword, decided here and not by arXiv's search: the
rules of ``source: feed``, shared by ``update``, ``check`` and ``preview``.

The rules, for each keyword (docs/feed.md has the same, with more examples):

1. **Categories.** One of the paper's categories must be one of the keyword's, or lie
   in an archive the keyword names (``cs`` takes ``cs.LG``).
2. **Phrases.** One of the keyword's phrases must occur in one of its ``fields``
   (``title``, ``abstract``, ``comment``; ``all`` is the three). Before comparing, the
   phrase and the text are case-folded, and hyphens, dashes and runs of whitespace
   become one space: ``Reward-Model`` matches "reward model" and "reward  model".
3. **Whole words.** A phrase matches only where no letter or digit touches it on
   either side: ``RL`` matches "(RL)" and "RL-based" but not "URL" or "RLHF".
4. **Plurals.** The phrase's *last* word, when it is all letters, also matches its
   regular singular and plural forms. Its stems are the word itself, the word without
   a final ``s`` (``models`` -> ``model``), without a final ``es`` (``boxes`` -> ``box``)
   and ``ies`` -> ``y`` (``policies`` -> ``policy``), each only when at least three
   letters remain; every stem then matches itself, stem + ``s``, stem + ``es``, and a
   stem ending in ``y`` also stem - ``y`` + ``ies``. So ``reward model`` matches
   "reward models", ``policy`` matches "policies", ``graph neural networks`` matches
   "graph neural network". Other words of the phrase must be as written
   (``models reward`` does not match "model reward"); irregular plurals
   (``analysis``/``analyses``) do not fold.
5. **Exclude.** A paper in which any ``exclude`` phrase occurs, under the same rules
   and in the same fields, is dropped.

The comment is not in arXiv's feed: it is known only after the ``id_list`` lookup, so a
keyword whose fields hold ``comment`` asks for every paper of its categories that its
other fields do not exclude.

arXiv's own search (``source: api``) differs: it stems every word and drops stop
words, even inside quotes (``"objectivity"`` also finds "objective"). These rules are
stricter and predictable, and ``daily-papers preview`` shows what they keep.

Each keyword's phrases become one pattern of escaped literals between word-boundary
checks, compiled once: a search is linear in the text, whatever the text.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from daily_papers.categories import covers
from daily_papers.config import Keyword
from daily_papers.paper import Paper

_FIELDS = {"title": ("title",), "abstract": ("abstract",), "comment": ("comment",),
           "all": ("title", "abstract", "comment")}
_DASHES = str.maketrans({c: " " for c in "-\u2010\u2011\u2012\u2013\u2212"})
MIN_STEM = 3
"""Letters a stem keeps at least: ``gas`` does not fold to ``ga``."""


def normalize(text: str) -> str:
    """Case-folded, hyphens and dashes as spaces, whitespace runs as one space."""
    return " ".join(text.casefold().translate(_DASHES).split())


def word_forms(word: str) -> tuple[str, ...]:
    """The forms a phrase's last word matches (rule 4), longest first."""
    if not word.isalpha():
        return (word,)
    stems = {word}
    if word.endswith("ies") and len(word) - 3 >= MIN_STEM - 1:
        stems.add(word[:-3] + "y")
    if word.endswith("es") and len(word) - 2 >= MIN_STEM:
        stems.add(word[:-2])
    if word.endswith("s") and len(word) - 1 >= MIN_STEM:
        stems.add(word[:-1])
    forms = set()
    for stem in stems:
        forms |= {stem, stem + "s", stem + "es"}
        if stem.endswith("y"):
            forms.add(stem[:-1] + "ies")
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for any of ``phrases`` (escaped) on word boundaries; None when no
    phrase has anything left after :func:`normalize`."""
    alternatives = []
    for phrase in phrases:
        words = normalize(phrase).split(" ")
        if words == [""]:
            continue
        head = re.escape(" ".join(words[:-1]) + " ") if len(words) > 1 else ""
        tails = "|".join(re.escape(form) for form in word_forms(words[-1]))
        alternatives.append(f"{head}(?:{tails})")
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


class Outcome(enum.Enum):
    MATCH = "match"
    EXCLUDED = "excluded"
    NO_MATCH = "no match"
    OTHER_CATEGORY = "other category"


@dataclass(frozen=True)
class Verdict:
    """What the rules say about one paper, and the words that decided it."""

    outcome: Outcome
    found: str | None = None
    """The text a phrase matched (normalized)."""
    excluded_by: str | None = None
    """The text an exclude phrase matched (normalized)."""

    @property
    def kept(self) -> bool:
        return self.outcome is Outcome.MATCH


@dataclass(frozen=True)
class Texts:
    """A paper's fields, normalized once for every keyword that looks at it."""

    paper: Paper
    title: str
    abstract: str
    comment: str | None
    """None: not known yet (a feed item before its lookup)."""

    @classmethod
    def of(cls, paper: Paper) -> Texts:
        comment = normalize(paper.comment) if paper.comment is not None else None
        return cls(paper, normalize(paper.title), normalize(paper.abstract or ""), comment)

    def field(self, name: str) -> str:
        return {"title": self.title, "abstract": self.abstract}.get(name, self.comment or "")


@dataclass(frozen=True)
class Rules:
    """A keyword's rules, compiled once."""

    keyword: Keyword
    phrases: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    fields: tuple[str, ...]
    """``title``, ``abstract``, ``comment``: ``all`` spelt out."""

    @property
    def wants_comment(self) -> bool:
        return "comment" in self.fields

    def in_categories(self, paper: Paper) -> bool:
        return any(covers(wanted, cat) for wanted in self.keyword.categories for cat in paper.categories)


def compile_rules(keyword: Keyword) -> Rules:
    fields = tuple(dict.fromkeys(f for name in keyword.fields for f in _FIELDS[name]))
    return Rules(keyword, phrase_pattern(keyword.phrases), phrase_pattern(keyword.exclude), fields)


def match(rules: Rules, texts: Texts) -> Verdict:
    """The rules' verdict on a paper (rules 1 to 5, in that order)."""
    if not rules.in_categories(texts.paper):
        return Verdict(Outcome.OTHER_CATEGORY)
    found = _search(rules.phrases, texts, rules.fields)
    if found is None:
        return Verdict(Outcome.NO_MATCH)
    excluded = _search(rules.exclude, texts, rules.fields)
    if excluded is not None:
        return Verdict(Outcome.EXCLUDED, found, excluded)
    return Verdict(Outcome.MATCH, found)


def needs_lookup(rules: Rules, texts: Texts) -> bool:
    """Whether a feed item (no comment yet) may be this keyword's once its comment is
    known: it matches already, or the keyword reads comments and nothing excludes it yet."""
    verdict = match(rules, texts)
    if verdict.kept:
        return True
    return rules.wants_comment and texts.comment is None and verdict.outcome is Outcome.NO_MATCH


def describe(rules: Rules) -> str:
    """The rules in one line, for ``check`` and ``preview``."""
    keyword = rules.keyword
    text = " OR ".join(repr(p) for p in keyword.phrases) + f" in {'/'.join(rules.fields)}"
    text += f" of {', '.join(keyword.categories)}" if keyword.categories else " of any category"
    if keyword.exclude:
        text += "; not " + " OR ".join(repr(p) for p in keyword.exclude)
    return text


def _search(pattern: re.Pattern[str] | None, texts: Texts, fields: tuple[str, ...]) -> str | None:
    if pattern is None:
        return None
    for name in fields:
        found = pattern.search(texts.field(name))
        if found:
            return found.group(0)
    return None
