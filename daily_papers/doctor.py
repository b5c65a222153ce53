"""``daily-papers doctor``: what ``check`` cannot see, in the repository's workflows.

A config that moves the store, or turns the site on, needs a workflow that commits the
new folder and deploys the site; a workflow without the right ``permissions:`` fails on
its push or its ``gh issue``. These mistakes only show on the next nightly run, so this
reads the workflow files (with the config's safe YAML loader) and says what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daily_papers import HOMEPAGE
from daily_papers.config import Config, ConfigError, parse_yaml

ACTION_REPOSITORY = HOMEPAGE.removeprefix("https://github.com/").strip("/")
PERMISSIONS = ("actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token",
               "issues", "models", "packages", "pages", "pull-requests", "security-events", "statuses")
_TOKEN = re.compile(r"[^\s\"'=;|&()<>]+")


@dataclass(frozen=True)
class Problem:
    """One thing to fix; ``breaks`` when the nightly run would fail or commit too little."""

    where: str
    message: str
    breaks: bool = True

    def __str__(self) -> str:
        return f"{'error' if self.breaks else 'warning'}: {self.where}: {self.message}"


def repository_root(config: Config) -> Path:
    """The nearest folder above the config that holds ``.git``, else the config's folder."""
    folder = config.path.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def generated_paths(config: Config) -> dict[str, str]:
    """What ``daily-papers paths`` prints (relative to the config's folder) -> the config
    key that sets it, for the messages."""
    from daily_papers.pipeline import owned_paths

    folder = config.path.parent
    keys = {config.readme: "readme", config.store: "store", config.pages: "pages", config.feeds: "feeds",
            config.digest.path: "digest.path"}
    by_place = {path.resolve(): key for path, key in keys.items()}
    return {path.as_posix(): by_place.get((folder / path).resolve(), "paths") for path in owned_paths(config)}


def site_folder(config: Config) -> Path | None:
    """The site folder when the config turns the site on."""
    return config.site.folder if config.site else None


def diagnose(config: Config) -> list[Problem]:
    """Every problem in the workflows under ``.github/workflows`` of the config's repository."""
    root = repository_root(config)
    folder = root / ".github" / "workflows"
    files = sorted(p for p in folder.glob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    problems: list[Problem] = []
    nightly = 0
    for path in files:
        where = path.relative_to(root).as_posix()
        try:
            flow = parse_yaml(path.read_text(encoding="utf-8"), Path(where))
        except (ConfigError, OSError, UnicodeDecodeError) as err:
            problems.append(Problem(where, f"cannot be read: {err}"))
            continue
        if not isinstance(flow, dict) or not any(runs_update(s) for _, s in steps(flow)):
            continue
        nightly += 1
        problems += check_workflow(flow, where, config, root)
    if not nightly:
        problems.append(Problem(folder.relative_to(root).as_posix(),
                                f"no workflow runs daily-papers update (uses: {ACTION_REPOSITORY}@v… or "
                                "`daily-papers update`); `daily-papers init` in an empty folder writes one"))
    return problems


def mapping(value: Any) -> dict[Any, Any]:
    """A workflow's mapping, or an empty one where the file has something else (the
    schema check reports that; here it only must not stop the diagnosis)."""
    return value if isinstance(value, dict) else {}


def steps(flow: dict[Any, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(job id, step) for every step of every job."""
    for job_id, job in mapping(flow.get("jobs")).items():
        listed = mapping(job).get("steps")
        for step in listed if isinstance(listed, list) else []:
            if isinstance(step, dict):
                yield str(job_id), step


def runs_update(step: dict[str, Any]) -> bool:
    uses = str(step.get("uses", ""))
    return (uses.startswith(f"{ACTION_REPOSITORY}@") or uses.rstrip("/") in (".", "./.")
            or "daily-papers update" in str(step.get("run", "")))


def name(step: dict[str, Any]) -> str:
    return str(step.get("name") or step.get("id") or step.get("uses") or str(step.get("run", ""))[:40])


def words(step: dict[str, Any]) -> set[str]:
    """The words of a step's script and env values: the literal paths it names."""
    text = " ".join([str(step.get("run", "")), *(str(v) for v in mapping(step.get("env")).values())])
    found = set()
    for token in _TOKEN.findall(text):
        token = token.removeprefix(":(literal)").removeprefix("./").rstrip("/")
        found.add(token or ".")
    return found


def covers(tokens: set[str], path: str) -> bool:
    return "." in tokens or any(path == t or path.startswith(t + "/") for t in tokens)


def check_workflow(flow: dict[Any, Any], where: str, config: Config, root: Path) -> list[Problem]:
    problems: list[Problem] = []
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as true
    if not (isinstance(triggers, dict) and triggers.get("schedule")):
        problems.append(Problem(where, "has no schedule: add `on: schedule: - cron: \"30 6 * * 1-5\"`"))
    all_steps = list(steps(flow))
    pushes = [(job, s) for job, s in all_steps if "git push" in str(s.get("run", ""))]
    if not pushes:
        problems.append(Problem(where, "no step pushes a commit: the papers would never be committed"))
    prefix = root.resolve()
    config_folder = config.path.parent.resolve()
    base = config_folder.relative_to(prefix).as_posix() if config_folder.is_relative_to(prefix) else ""
    expected = {(f"{base}/{p}" if base not in ("", ".") else p): key for p, key in generated_paths(config).items()}
    for _, step in pushes:
        if "outputs.paths" in " ".join(str(v) for v in mapping(step.get("env")).values()):
            continue
        tokens = words(step)
        missing = [f"{path} ({key})" for path, key in expected.items() if not covers(tokens, path)]
        if missing:
            problems.append(Problem(where, f"the step '{name(step)}' does not commit {', '.join(missing)}: "
                                    "list the update step's `paths` output in its env (see `daily-papers paths`)"))
    site = site_folder(config)
    if site is not None:
        site_path = Path(site).resolve()
        relative = site_path.relative_to(prefix).as_posix() if site_path.is_relative_to(prefix) else ""
        for _, step in pushes:
            if relative and "outputs.paths" not in str(mapping(step.get("env"))) and covers(words(step), relative):
                problems.append(Problem(where, f"the step '{name(step)}' commits the site folder {relative}, "
                                        "which the Pages deployment publishes", breaks=False))
    uses = [str(s.get("uses", "")) for _, s in all_steps]
    if site is not None:
        for action in ("actions/upload-pages-artifact", "actions/deploy-pages"):
            if not any(u.startswith(action + "@") for u in uses):
                problems.append(Problem(where, f"the config has a site but no step uses {action}: "
                                        "the site would never be published"))
    digest = Path(config.digest.path).resolve()
    digest_path = digest.relative_to(prefix).as_posix() if digest.is_relative_to(prefix) else str(digest)
    for job_id, step in all_steps:
        script = str(step.get("run", ""))
        if "gh issue create" in script and not covers(words(step), digest_path):
            problems.append(Problem(where, f"the step '{name(step)}' does not read the digest the config writes, "
                                    f"{digest_path} (digest.path)"))
        if re.search(r"\bgh\s", script) and not has_token(flow, job_id, step):
            problems.append(Problem(where, f"the step '{name(step)}' runs gh without GH_TOKEN in its env: "
                                    "add `GH_TOKEN: ${{ github.token }}`"))
    problems += check_permissions(flow, where)
    return problems


def has_token(flow: dict[Any, Any], job_id: str, step: dict[str, Any]) -> bool:
    scopes = [step.get("env"), mapping(mapping(flow.get("jobs")).get(job_id)).get("env"), flow.get("env")]
    return any({"GH_TOKEN", "GITHUB_TOKEN"} & set(mapping(env)) for env in scopes)


def needs(step: dict[str, Any]) -> dict[str, str]:
    """The token permissions a step needs to work."""
    script, uses = str(step.get("run", "")), str(step.get("uses", ""))
    wanted = {}
    if "git push" in script:
        wanted["contents"] = "for its push"
    if re.search(r"\bgh\s+(issue|label)\b", script):
        wanted["issues"] = "for gh issue and gh label"
    if uses.startswith("actions/deploy-pages@"):
        wanted["pages"] = wanted["id-token"] = "for actions/deploy-pages"
    return wanted


def granted(permissions: Any) -> set[str] | None:
    """The permissions given write access (None: not declared, the repository's default)."""
    if permissions is None:
        return None
    if permissions == "write-all":
        return set(PERMISSIONS)
    if isinstance(permissions, dict):
        return {str(k) for k, v in permissions.items() if v == "write"}
    return set()


def check_permissions(flow: dict[Any, Any], where: str) -> list[Problem]:
    problems = []
    wanted_by_job: dict[str, dict[str, tuple[str, str]]] = {}
    for job_id, step in steps(flow):
        for scope, why in needs(step).items():
            wanted_by_job.setdefault(job_id, {}).setdefault(scope, (name(step), why))
    jobs = mapping(flow.get("jobs"))
    for job_id, wanted in wanted_by_job.items():
        job = mapping(jobs.get(job_id))
        have = granted(job["permissions"] if "permissions" in job else flow.get("permissions"))
        for scope, (step_name, why) in wanted.items():
            if have is None:
                problems.append(Problem(where, f"job '{job_id}' declares no permissions, and a repository's "
                                        f"default token may be read-only: add `permissions: {scope}: write` "
                                        f"({why}, step '{step_name}')"))
            elif scope not in have:
                problems.append(Problem(where, f"job '{job_id}' needs `{scope}: write` {why} "
                                        f"(step '{step_name}'): add it to its permissions"))
    return problems
