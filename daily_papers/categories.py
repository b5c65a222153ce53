"""arXiv's category taxonomy, as data: what a keyword's ``categories:`` may name.

A name is an archive (``cs``, ``math``, ``hep-th``, ``quant-ph``) or a category inside
one (``cs.LG``, ``math.AP``, ``cond-mat.mes-hall``). Archives such as ``hep-th`` have
no sub-categories and are categories themselves. arXiv's feed refuses any other name
(with a feed titled ``Feed error for query``) and its API silently finds nothing, so
the config is checked against this list before any request.

The list follows arXiv's category taxonomy page (https://arxiv.org/category_taxonomy).
"""

from __future__ import annotations

import difflib

_SUBJECTS: dict[str, tuple[str, ...]] = {
    "astro-ph": ("CO", "EP", "GA", "HE", "IM", "SR"),
    "cond-mat": ("dis-nn", "mes-hall", "mtrl-sci", "other", "quant-gas", "soft", "stat-mech", "str-el",
                 "supr-con"),
    "cs": ("AI", "AR", "CC", "CE", "CG", "CL", "CR", "CV", "CY", "DB", "DC", "DL", "DM", "DS", "ET", "FL", "GL",
           "GR", "GT", "HC", "IR", "IT", "LG", "LO", "MA", "MM", "MS", "NA", "NE", "NI", "OH", "OS", "PF", "PL",
           "RO", "SC", "SD", "SE", "SI", "SY"),
    "econ": ("EM", "GN", "TH"),
    "eess": ("AS", "IV", "SP", "SY"),
    "gr-qc": (),
    "hep-ex": (),
    "hep-lat": (),
    "hep-ph": (),
    "hep-th": (),
    "math": ("AC", "AG", "AP", "AT", "CA", "CO", "CT", "CV", "DG", "DS", "FA", "GM", "GN", "GR", "GT", "HO", "IT",
             "KT", "LO", "MG", "MP", "NA", "NT", "OA", "OC", "PR", "QA", "RA", "RT", "SG", "SP", "ST"),
    "math-ph": (),
    "nlin": ("AO", "CD", "CG", "PS", "SI"),
    "nucl-ex": (),
    "nucl-th": (),
    "physics": ("acc-ph", "ao-ph", "app-ph", "atm-clus", "atom-ph", "bio-ph", "chem-ph", "class-ph", "comp-ph",
                "data-an", "ed-ph", "flu-dyn", "gen-ph", "geo-ph", "hist-ph", "ins-det", "med-ph", "optics",
                "plasm-ph", "pop-ph", "soc-ph", "space-ph"),
    "q-bio": ("BM", "CB", "GN", "MN", "NC", "OT", "PE", "QM", "SC", "TO"),
    "q-fin": ("CP", "EC", "GN", "MF", "PM", "PR", "RM", "ST", "TR"),
    "quant-ph": (),
    "stat": ("AP", "CO", "ME", "ML", "OT", "TH"),
}

ARCHIVES: frozenset[str] = frozenset(_SUBJECTS)
"""Archive names: each stands for every category inside it."""

CATEGORIES: frozenset[str] = frozenset(f"{a}.{s}" for a, subjects in _SUBJECTS.items() for s in subjects)
"""Category names inside an archive, such as ``cs.LG``."""

KNOWN: frozenset[str] = ARCHIVES | CATEGORIES
"""Every name a keyword's ``categories:`` may hold."""

_BY_FOLDED = {name.casefold(): name for name in KNOWN}


def problem(name: str) -> str | None:
    """Why ``name`` is not an arXiv category or archive, with the closest known name;
    None when it is one."""
    if name in KNOWN:
        return None
    same = _BY_FOLDED.get(name.casefold())
    if same is not None:
        return f"{name!r} is not an arXiv category (did you mean {same}?)"
    close = difflib.get_close_matches(name, sorted(KNOWN), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"{name!r} is not an arXiv category or archive such as 'cs.LG' or 'quant-ph'{hint}"


def covers(wanted: str, category: str) -> bool:
    """Whether a paper listed in ``category`` is in ``wanted``: the same name, or
    ``wanted`` is the archive that holds it (``cs`` covers ``cs.LG``)."""
    return category == wanted or (category.startswith(wanted) and category[len(wanted):len(wanted) + 1] == ".")
