"""The `ssbi` command line (also `python -m interface`).

Exit codes: 0 success; 1 a run that failed (solver did not converge, a
verification that did not pass); 2 invalid input (one line on stderr naming the
file, the key path and what was expected).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from interface.errors import InputError, ResourceError, SolverError

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MPLBACKEND", "Agg")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str):  # noqa: D102
        _rank0_print(f"{self.prog}: error: {message} (see {self.prog} --help)")
        raise SystemExit(2)


def _rank() -> int:
    if "mpi4py.MPI" in sys.modules:
        return sys.modules["mpi4py.MPI"].COMM_WORLD.rank
    for var in ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"):
        if var in os.environ:
            return int(os.environ[var])
    return 0


def _rank0_print(text: str, stream=None) -> None:
    if _rank() == 0:
        print(text, file=stream or sys.stderr, flush=True)


def _overrides(pairs: list[str] | None) -> dict:
    from interface.case import parse_override_value

    out = {}
    for item in pairs or []:
        if "=" not in item:
            raise InputError(f"expected KEY=VALUE, got '{item}'", key="--set")
        key, value = item.split("=", 1)
        out[key.strip()] = parse_override_value(value.strip())
    return out


def _load(args):
    """Load the case on every rank; an error on any rank is raised on all of them.

    (A file one node cannot read must not leave the other ranks alone in a collective.)
    """
    from interface.case import load_case
    from interface.collective import agree, world

    return agree(world(), load_case, args.case, _overrides(args.set),
                 smoke=getattr(args, "smoke", False))


def cmd_check(args) -> int:
    """Validate a case file without solving (and its [sweep] axes, as `ssbi sweep` would)."""
    case = _load(args)
    extra = ""
    if case.sweep is not None:
        from interface.batch import plan_sweep

        plan = plan_sweep(args.case, _overrides(args.set), smoke=args.smoke, case=case)
        extra = f", sweep of {len(plan.points)} cases"
    _rank0_print(f"{args.case}: ok (model '{case.model}', sha256 {case.sha256[:12]}{extra})",
                 sys.stdout)
    return 0


def cmd_run(args) -> int:
    """Run a case and write its output folder."""
    from interface.runner import run

    case = _load(args)
    result = run(case, output=args.output, force=args.force, quiet=args.quiet,
                 figures=False if args.no_figures else None,
                 fields=False if args.no_fields else None)
    if not result.ok:
        _rank0_print(f"ssbi: run failed: {result.message} (completed points written to "
                     f"{args.output})")
        return 1
    if not args.quiet:
        _rank0_print(f"results: {os.path.join(args.output, 'results.h5')}\n"
                     f"summary: {os.path.join(args.output, 'summary.json')}\n"
                     f"figures: {os.path.join(args.output, 'figures')}/", sys.stdout)
    return 0


def cmd_verify(args) -> int:
    """Run the verification benchmarks and print the table."""
    from interface.verify import format_table, registry, run_benchmarks

    if args.list:
        for b in registry().values():
            _rank0_print(f"{b.name:40s} {b.description}", sys.stdout)
        return 0
    rows = run_benchmarks(args.only, quiet=args.quiet)
    _rank0_print(format_table(rows), sys.stdout)
    return 0 if rows and all(r.passed for r in rows) else 1


def cmd_validate(args) -> int:
    """Run validation datasets against published measurements and print the rows."""
    from interface.validation import validate
    from interface.validation.report import markdown, table_lines, write_json

    records: list = []
    rows = validate(args.datasets or None, smoke=args.smoke, out=args.out, quiet=args.quiet,
                    records=records)
    if _rank() == 0:
        _rank0_print("\n".join(table_lines(rows)), sys.stdout)
        if args.json:
            write_json(rows, args.json)
        if args.docs:
            from pathlib import Path

            from interface.plotting.validation import plot_dataset

            docs = Path(args.docs)
            for rec in records:
                plot_dataset(rec, docs / "figures" / "validation")
            (docs / "validation-experiments.md").write_text(markdown(records))
            _rank0_print(f"docs: {docs / 'validation-experiments.md'}", sys.stdout)
    return 0 if all(r.case_ran for r in rows) else 1


def cmd_calibrate(args) -> int:
    """Fit case parameters to validation datasets and write the parameter set."""
    from pathlib import Path

    from interface.progress import Progress
    from interface.validation.calibrate import fit, leave_one_out, load_calibration
    from interface.validation.report import write_calibration

    cal = load_calibration(args.calibration)
    out = Path(args.output)
    if out.exists() and not args.force:
        raise InputError("output folder exists; use --force to replace it", key="--output",
                         file=str(out))
    progress = Progress(1, "calibrate", quiet=args.quiet)
    result = fit(cal, progress=progress)
    loo = {} if args.no_loo else leave_one_out(cal)
    if _rank() == 0:
        lines = write_calibration(cal, result, loo, out)
        _rank0_print("\n".join(lines), sys.stdout)
    return 0 if result.success else 1


def cmd_sweep(args) -> int:
    """Run or resume a parameter sweep."""
    if args.dry_run:
        from interface.batch import plan_sweep

        plan = plan_sweep(args.case, _overrides(args.set), smoke=args.smoke)
        for i, point in enumerate(plan.points):
            text = ", ".join(f"{k}={v}" for k, v in point.items())
            _rank0_print(f"{i:6d}  {text}", sys.stdout)
        _rank0_print(f"{len(plan.points)} cases ({plan.mode})", sys.stdout)
        return 0
    from interface.batch import run_sweep

    out = run_sweep(args.case, args.output, ranks_per_case=args.ranks_per_case,
                    overrides=_overrides(args.set), smoke=args.smoke, force=args.force,
                    quiet=args.quiet, slice_=args.slice, retry_failed=args.retry_failed)
    retried = f" ({len(out.retried)} retried)" if out.retried else ""
    _rank0_print(f"sweep: {out.ok} ok, {out.failed} failed, {out.pending} pending of "
                 f"{out.total}{retried}; table {os.path.join(args.output, 'sweep.h5')}",
                 sys.stdout)
    for note in out.notes[:20]:
        _rank0_print(f"  note: {note}")
    for i, msg in out.failures[:20]:
        _rank0_print(f"  case {i} failed: {msg}")
    return 0 if out.failed == 0 and out.pending == 0 else 1


def cmd_status(args) -> int:
    """Done / failed / pending of a sweep folder."""
    from interface.batch import sweep_status

    st = sweep_status(args.folder, write=args.write_table)
    _rank0_print(f"{args.folder}: {st.ok} done, {st.failed} failed, {st.pending} pending "
                 f"(of {st.total})", sys.stdout)
    for note in st.notes:
        _rank0_print(f"  note: {note}", sys.stdout)
    for i, msg in st.failures:
        _rank0_print(f"  case {i:6d} failed: {msg}", sys.stdout)
    return 0


def cmd_jobscript(args) -> int:
    """Print a Slurm or PBS job script for a sweep."""
    from interface.batch.jobscript import JobSpec, command_line, render

    spec = JobSpec(scheduler=args.scheduler, case=args.case, output=args.output,
                   nodes=args.nodes, ranks_per_node=args.ranks_per_node,
                   ranks_per_case=args.ranks_per_case, walltime=args.time, array=args.array,
                   account=args.account or "", partition=args.partition or "",
                   venv=args.venv or sys.prefix, job_name=args.job_name, smoke=args.smoke,
                   sets=tuple(args.set or ()), launcher=args.launcher,
                   modules=tuple(args.module or ()), setup=tuple(args.setup or ()),
                   mem=args.mem or "", qos=args.qos or "",
                   directives=tuple(args.directive or ()), retry_failed=args.retry_failed)
    text = render(spec, command_line(args.argv) if args.header else "")
    if args.case and not args.no_check:
        from interface.batch import plan_sweep

        # a job that would fail on its input is not worth queueing
        plan_sweep(args.case, _overrides(args.set), smoke=args.smoke)
    _rank0_print(text.rstrip("\n"), sys.stdout)
    return 0


def cmd_materials(args) -> int:
    """List the materials library, or show one material."""
    from interface.materials import LIBRARY, get_material

    if args.name:
        m = get_material(args.name)
        lines = [f"{m.name}: E = {m.youngs_modulus / 1e9:g} GPa, nu = {m.poisson_ratio:g}, "
                 f"density = {m.density:g} kg/m^3"]
        if m.volumetric_strain is not None:
            c = m.volumetric_strain
            lines.append(f"  volumetric strain: x = {list(c.stoichiometry)}, dV/V = "
                         f"{[round(v, 5) for v in c.volumetric_strain]}")
        if m.yield_stress:
            lines.append(f"  yield stress = {m.yield_stress / 1e6:g} MPa")
        if m.creep is not None:
            lines.append(f"  creep: A = {m.creep.coefficient:.4g} Pa^-n/s, n = "
                         f"{m.creep.exponent:g}")
        lines.append(f"  source: {m.source}")
        _rank0_print("\n".join(lines), sys.stdout)
        return 0
    for name, m in sorted(LIBRARY.items(), key=lambda kv: kv[0].lower()):
        _rank0_print(f"{name:20s} E = {m.youngs_modulus / 1e9:8.3g} GPa  nu = "
                     f"{m.poisson_ratio:5.3f}  rho = {m.density:7.0f} kg/m^3", sys.stdout)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    from interface import __version__

    p = _Parser(prog="ssbi", description="ssb-interface: solid-solid interfaces of solid-state "
                "batteries (stack pressure, contact, electrochemistry, energy density).")
    p.add_argument("--version", action="version", version=f"ssb-interface {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def case_args(sp):
        sp.add_argument("case", help="case file (TOML)")
        sp.add_argument("--set", action="append", metavar="KEY=VALUE",
                        help="override a case value by dotted key path, e.g. "
                             "--set fixture.preload=2MPa (repeatable)")
        sp.add_argument("--smoke", action="store_true",
                        help="coarse meshes / few points (quick look, tests)")

    sp = sub.add_parser("check", help="validate a case file, no solve")
    case_args(sp)
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("run", help="run a case")
    case_args(sp)
    sp.add_argument("-o", "--output", required=True, help="output folder")
    sp.add_argument("--force", action="store_true",
                    help="replace an existing output folder of ssbi (never another folder, "
                         "the current folder or one holding the case file)")
    sp.add_argument("--quiet", action="store_true", help="no progress lines")
    sp.add_argument("--no-figures", action="store_true", help="skip figures/")
    sp.add_argument("--no-fields", action="store_true", help="skip fields/ (VTX)")
    sp.set_defaults(func=cmd_run)

    sp = sub.add_parser("verify", help="analytic verification benchmarks (table of errors)")
    sp.add_argument("--only", action="append", metavar="PATTERN",
                    help="run the benchmarks whose name contains PATTERN (repeatable)")
    sp.add_argument("--list", action="store_true", help="list the benchmarks")
    sp.add_argument("--quiet", action="store_true", help="no progress lines")
    sp.set_defaults(func=cmd_verify)

    sp = sub.add_parser("validate", help="compare predictions with published measurements "
                        "(validation datasets)")
    sp.add_argument("datasets", nargs="*", metavar="DATASET_OR_FOLDER",
                    help="dataset files or folders (default: the datasets shipped with the "
                         "package)")
    sp.add_argument("--json", metavar="FILE", help="write the rows as JSON")
    sp.add_argument("--smoke", action="store_true", help="smoke-size cases (quick look)")
    sp.add_argument("--out", metavar="DIR",
                    help="keep each dataset's case output in DIR/<dataset> (default: a "
                         "temporary folder, removed)")
    sp.add_argument("--docs", metavar="DIR",
                    help="write DIR/validation-experiments.md and DIR/figures/validation/")
    sp.add_argument("--quiet", action="store_true", help="no progress lines")
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("calibrate", help="fit case parameters to validation datasets")
    sp.add_argument("calibration", help="calibration file (TOML: [[parameter]], [[dataset]])")
    sp.add_argument("-o", "--output", required=True, help="output folder")
    sp.add_argument("--force", action="store_true", help="replace an existing output folder")
    sp.add_argument("--no-loo", action="store_true", help="skip the leave-one-out refits")
    sp.add_argument("--quiet", action="store_true", help="no progress lines")
    sp.set_defaults(func=cmd_calibrate)

    sp = sub.add_parser("sweep", help="run or resume a parameter sweep ([sweep] table) over "
                        "MPI sub-communicators")
    case_args(sp)
    sp.add_argument("-o", "--output", required=True, help="sweep folder")
    sp.add_argument("--ranks-per-case", type=int, default=1, metavar="K",
                    help="ranks per case (FE solves decomposed over K ranks)")
    sp.add_argument("--force", action="store_true",
                    help="discard a sweep folder that holds a different sweep (never another "
                         "kind of folder)")
    sp.add_argument("--slice", metavar="I/N", help="run only cases with id %% N == I (arrays)")
    sp.add_argument("--retry-failed", action="store_true",
                    help="compute the failed cases again (cases that failed for "
                         "environmental reasons, e.g. a lost file, are always retried)")
    sp.add_argument("--dry-run", action="store_true", help="list the cases, run nothing")
    sp.add_argument("--quiet", action="store_true", help="no progress lines")
    sp.set_defaults(func=cmd_sweep)

    sp = sub.add_parser("status", help="done / failed / pending of a sweep folder")
    sp.add_argument("folder", help="sweep folder")
    sp.add_argument("--write-table", action="store_true",
                    help="also rebuild sweep.h5 from the committed cases")
    sp.set_defaults(func=cmd_status)

    sp = sub.add_parser("jobscript", help="print a Slurm or PBS job script for a sweep "
                        "(docs/hpc.md)")
    sp.add_argument("case", help="case file with a [sweep] table (made absolute)")
    sp.add_argument("-o", "--output", required=True,
                    help="sweep folder (made absolute; may hold $VARIABLES, e.g. "
                         "'${SCRATCH:-$HOME}/sweep', expanded by the job)")
    sp.add_argument("--scheduler", choices=("slurm", "pbs"), default="slurm")
    sp.add_argument("--nodes", type=int, default=1)
    sp.add_argument("--ranks-per-node", type=int, default=32)
    sp.add_argument("--ranks-per-case", type=int, default=1)
    sp.add_argument("--time", default="02:00:00", help="wall time HH:MM:SS")
    sp.add_argument("--array", type=int, default=0,
                    help="a job array of this many tasks, each running a slice")
    sp.add_argument("--launcher", choices=("mpiexec", "srun-pmi2", "srun-pmix"),
                    default="mpiexec",
                    help="mpiexec of the venv (default), or srun with the PMI plugin the "
                         "MPI library speaks (plain srun would start singletons)")
    sp.add_argument("--smoke", action="store_true", help="pass --smoke to the sweep")
    sp.add_argument("--set", action="append", metavar="KEY=VALUE",
                    help="pass an override to the sweep (repeatable)")
    sp.add_argument("--retry-failed", action="store_true",
                    help="pass --retry-failed to the sweep")
    sp.add_argument("--account")
    sp.add_argument("--partition", help="partition (Slurm) or queue (PBS)")
    sp.add_argument("--qos", help="quality of service (Slurm)")
    sp.add_argument("--mem", help="memory per node, e.g. 64G")
    sp.add_argument("--module", action="append", metavar="NAME",
                    help="a 'module load NAME' line (repeatable)")
    sp.add_argument("--setup", action="append", metavar="LINE",
                    help="a shell line run before the sweep, e.g. 'source ~/env.sh' "
                         "(repeatable)")
    sp.add_argument("--directive", action="append", metavar="TEXT",
                    help="an extra scheduler directive, e.g. '--constraint=cpu' (Slurm) or "
                         "'-l place=scatter' (PBS) (repeatable)")
    sp.add_argument("--job-name", default="ssbi-sweep")
    sp.add_argument("--venv", help="the environment on the cluster (default: the one "
                    "running this command)")
    sp.add_argument("--no-header", dest="header", action="store_false",
                    help="leave the generating command out of the script")
    sp.add_argument("--no-check", action="store_true", help="do not validate the case")
    sp.set_defaults(func=cmd_jobscript)

    sp = sub.add_parser("materials", help="list the materials library or show one material")
    sp.add_argument("name", nargs="?", help="material name")
    sp.set_defaults(func=cmd_materials)
    return p


def _non_utf8(argv: list[str]) -> str | None:
    """A one-line error for the first argument that is not valid UTF-8, else None."""
    for i, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raw = arg.encode("utf-8", "surrogateescape")
            return (f"argument {i + 1} is not valid UTF-8 ({raw!r}): ssbi needs UTF-8 paths "
                    "and values; rename the file or folder")
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code.

    0 success; 1 a failed run (solver, no space left, an operating-system error);
    2 invalid input; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).  Every
    error is one line on stderr (from rank 0).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    bad = _non_utf8(argv)
    if bad:
        _rank0_print(f"ssbi: error: {bad}")
        return 2
    from interface import signals

    signals.install()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return int(exc.code or 0)
    args.argv = argv
    try:
        try:
            return int(args.func(args) or 0)
        except Exception as exc:
            hidden = signals.interrupt_of(exc)  # e.g. wrapped in a PETSc.Error by a callback
            if hidden is not None:
                raise hidden from None
            signals.check()  # a signal received during this command, then swallowed
            raise
    except InputError as exc:
        _rank0_print(f"ssbi: error: {exc.oneline()}")
        return 2
    except SolverError as exc:
        _rank0_print(f"ssbi: solver failed: {exc}")
        return 1
    except ResourceError as exc:
        _rank0_print(f"ssbi: error: {exc}; nothing was committed, free some space and run "
                     "the same command again")
        return 1
    except BrokenPipeError:
        raise  # handled by console(): the reader went away, nothing to say
    except OSError as exc:
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        _rank0_print(f"ssbi: error: {exc.strerror or exc}{where}")
        return 1
    except KeyboardInterrupt:
        _rank0_print("ssbi: interrupted (nothing half-written was kept)")
        return 130
    except signals.Terminated as exc:
        _rank0_print(f"ssbi: terminated by signal {exc.signum} (nothing half-written was "
                     "kept)")
        return 128 + exc.signum


def console() -> None:
    """Console-script wrapper (also quiet when stdout is a pipe closed early, e.g. `| head`)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's recipe: point stdout at devnull so the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 141  # 128 + SIGPIPE, what a shell reports for a command killed by the pipe
    fields = sys.modules.get("interface.results.fields")
    if (fields is not None and fields.UNCLOSABLE) or (code in (130, 129, 143) and _mpi_job()):
        # A failed ADIOS2 engine would abort in its destructor; after an interrupt under
        # MPI another rank may sit in a collective, and MPI_Finalize would wait for it
        # forever: leave without finalising (mpiexec then ends the other ranks).
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _mpi_job() -> bool:
    """True inside an initialised MPI job of more than one rank."""
    mpi = sys.modules.get("mpi4py.MPI")
    try:
        return bool(mpi and mpi.Is_initialized() and not mpi.Is_finalized()
                    and mpi.COMM_WORLD.size > 1)
    except Exception:  # noqa: BLE001 - leaving anyway
        return False


if __name__ == "__main__":
    console()
