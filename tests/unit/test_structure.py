"""The shape of the package: the flow is the folders (campaign → engine → encode → qc → files, joined by
ticker.render, with the approval, the nights, the review, the letters, the reports and the two faces on top),
though qc, which reads files back and knows nothing of campaigns, sits low among the imports;
packages import only those below them and modules never import themselves back (lazy imports included); a
package's `__init__` is its small public face with no logic; only ticker.encode.ffmpeg_args knows ffmpeg-python;
only ticker.files.held deletes; no module grows past the size one concern fills; and the tables of profiles,
formats and targets cannot be changed while ticker runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ticker.media.formats import ALPHA_DECODERS, FORMATS
from ticker.media.formats.mxf import MXF_VIDEO
from ticker.media.profiles import PROFILES
from ticker.media.targets import TARGETS

PACKAGE = Path(__file__).resolve().parents[2] / "ticker"
MOST_LINES = 450
MOST_FACE_LINES = 40

# Bottom to top: each package (or top-level module) imports only those before it in this list, and itself.
LAYERS = [
    "errors",
    "terminal",
    "stopping",
    "files",
    "media",
    "qc",
    "vietnamese",
    "campaign",
    "station",
    "engine",
    "encode",
    "render",
    "approval",
    "records",
    "night",
    "watch",
    "air",  # a live command beside the watch: reads what the night published, imported only by the faces
    "review",
    "letters",
    "reports",
    "desk",
    "cli",
]
TOP = {"__init__", "__main__"}  # the package's own face and `python -m ticker`


def _name(path: Path) -> str:
    """ticker.campaign.config for ticker/campaign/config.py; ticker.campaign for its __init__.py."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}
FILES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _typing_only(tree: ast.Module) -> set[int]:
    """The ids of the nodes under `if TYPE_CHECKING:`: imports for the type checker, never run."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }


def _imports(module: str, tree: ast.Module) -> set[str]:
    """Every module of ticker (dotted, as far as it names one) and every other top-level package this module
    imports, anywhere in it but under `if TYPE_CHECKING:`."""
    found = set()
    skipped = _typing_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "ticker":
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in MODULES else node.module)
            else:
                found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name if a.name.startswith("ticker.") else a.name.split(".")[0] for a in node.names}
    return found


def _unit(module: str) -> str:
    """The package or top-level module a ticker module belongs to: `campaign` for ticker.campaign.config."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_package_and_top_level_module_has_its_place():
    units = {_unit(m) for m in MODULES} - TOP
    assert units == set(LAYERS), (
        f"not placed in LAYERS: {sorted(units - set(LAYERS))}; gone: {sorted(set(LAYERS) - units)}"
    )


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _unit(m) not in TOP))
def test_a_module_imports_only_its_own_package_and_those_below(module):
    floor = LAYERS.index(_unit(module))
    above = sorted(
        m
        for m in _imports(module, MODULES[module])
        if m.startswith("ticker.") and _unit(m) not in TOP and LAYERS.index(_unit(m)) > floor
    )
    assert not above, f"{module} imports {above}, above it"


def test_no_module_imports_one_that_imports_it_back():
    graph = {m: {i for i in _imports(m, t) if i in MODULES and i != "ticker"} for m, t in MODULES.items()}
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo += graph[m]
        assert start not in seen, f"{start} imports itself back through {sorted(seen & graph[start])}"


@pytest.mark.parametrize("package", sorted(m for m, p in FILES.items() if p.name == "__init__.py" and m != "ticker"))
def test_a_package_face_is_small_and_holds_no_logic(package):
    tree, path = MODULES[package], FILES[package]
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_FACE_LINES, (
        f"{path.relative_to(PACKAGE.parent)} has {lines} lines: a face names, it does not do"
    )
    allowed = (ast.Import, ast.ImportFrom, ast.Expr, ast.Assign)  # the docstring, imports and __all__
    logic = [n.lineno for n in tree.body if not isinstance(n, allowed)]
    assigns = [n.lineno for n in tree.body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) != "__all__"]
    assert not logic + assigns, f"{path.relative_to(PACKAGE.parent)} holds logic at lines {logic + assigns}"


def test_only_the_ffmpeg_arguments_module_knows_ffmpeg_python():
    assert [m for m, t in MODULES.items() if "ffmpeg" in _imports(m, t)] == ["ticker.encode.ffmpeg_args"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_holds_one_concern(module):
    lines = FILES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_LINES, (
        f"{FILES[module].relative_to(PACKAGE.parent)} has {lines} lines: split it along its seams"
    )


@pytest.mark.parametrize("table", [PROFILES, FORMATS, TARGETS], ids=["profiles", "formats", "targets"])
def test_the_tables_cannot_be_changed_at_run_time(table):
    with pytest.raises(TypeError):
        table["new"] = next(iter(table.values()))  # type: ignore[index]


def test_the_library_knows_nothing_of_the_desk_but_the_command_that_starts_it():
    knowing = sorted(
        m for m, t in MODULES.items() if _unit(m) != "desk" and any(i.startswith("ticker.desk") for i in _imports(m, t))
    )
    assert knowing == ["ticker.cli.commands"]


DELETES = {"rmtree", "unlink", "rmdir", "removedirs"}  # and os.remove


def _deletes(tree: ast.Module) -> list[int]:
    """The lines of a module that delete by path: shutil.rmtree, os.remove, os.unlink, Path.unlink, rmdir."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and (
            node.func.attr in DELETES
            or (node.func.attr == "remove" and isinstance(node.func.value, ast.Name) and node.func.value.id == "os")
        )
    ]


def test_only_the_module_that_works_by_descriptor_deletes():
    """A folder ticker works in can be swapped for a link while it runs: every removal goes through
    ticker.files.held, which removes relative to a folder's descriptor and never through a link."""
    found = {
        f"{FILES[name].relative_to(PACKAGE.parent)}:{line}"
        for name, tree in MODULES.items()
        for line in _deletes(tree)
        if name != "ticker.files.held"
    }
    assert not found, f"deletes outside ticker.files.held: {sorted(found)}"
    assert _deletes(MODULES["ticker.files.held"]), (
        "ticker.files.held itself deletes (the test looks for the right calls)"
    )


FAMILIES = {f"ticker.media.formats.{m}" for m in ("prores", "qtrle", "png", "h264", "mpeg2", "vp9", "mxf", "ts")}
# what a format's coding is called where ffmpeg names it: encoders, muxers, the decoders QC picks
CODING_NAMES = (
    {f.codec for f in FORMATS.values()}
    | {f.muxer for f in FORMATS.values()}
    | {flavour.muxer for flavour in MXF_VIDEO.values()}
    | set(ALPHA_DECODERS)
    | set(ALPHA_DECODERS.values())
)


def _coding_tests(tree: ast.AST) -> list[int]:
    """The lines that compare something with a codec's or a muxer's name (==, !=, in, a match case)."""

    def named(node: ast.AST) -> bool:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return any(named(e) for e in node.elts)
        return isinstance(node, ast.Constant) and node.value in CODING_NAMES

    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Compare) and any(named(n) for n in (node.left, *node.comparators)))
        or (isinstance(node, ast.MatchValue) and named(node.value))
    ]


def test_only_a_format_s_own_module_tests_its_codec_or_muxer_by_name():
    """What a codec or container does is said once, by its family's class (ticker.media.formats.prores, …): no
    other module asks `codec == "mpeg2video"` or `muxer in ("mov", "mp4")`."""
    found = {
        f"{FILES[name].relative_to(PACKAGE.parent)}:{line}"
        for name, tree in MODULES.items()
        if name not in FAMILIES
        for line in _coding_tests(tree)
    }
    assert not found, f"codec or muxer names tested outside their family's module: {sorted(found)}"
    said = (
        'if fmt.codec == "mpeg2video":\n    pass\nok = fmt.muxer in ("mov", "mp4")\nmatch m:\n    case "mxf_d10": pass'
    )
    assert _coding_tests(ast.parse(said)) == [1, 3, 5], "the test finds the comparisons it is looking for"
    assert MODULES.keys() >= FAMILIES, "every family has its module"


STAGES = {"prepare", "survey", "phase_strips", "Blitter"}  # the engine's stages, called only through its front door


def _calls(tree: ast.Module) -> set[str]:
    """The names a module calls, by name or as an attribute (`prepare(…)`, `survey.survey(…)`)."""
    return {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }


def test_only_the_engine_calls_its_stages():
    """render, check, the proof page, the desk and the farm reach the engine through its face (plan,
    plan_output, a survey's blitter, strips and pictures), never by assembling its stages themselves."""
    found = {f"{name} calls {stage}" for name, tree in MODULES.items() for stage in sorted(_calls(tree) & STAGES)}
    assert not {f for f in found if _unit(f.split(" ")[0]) != "engine"}, sorted(found)
    assert {f.split(" ")[0] for f in found} >= {"ticker.engine.survey", "ticker.engine.plan"}, (
        "the engine itself calls its stages (the test looks for the right calls)"
    )
