"""Many reports at once: expand folders and globs, check in worker processes, hand back slim results in order.

Workers return `Result`/`Unreadable` values (findings and counts, no report text), so memory stays flat in the
number of reports; rules are loaded once per worker.

Every input has a time budget. Workers are processes this module manages itself, each on one input at a time: one
that overruns is stopped and one that dies (killed, out of memory, a parser crashing) costs its own input only.
concurrent.futures can do neither (it cannot stop one task, and a dead worker breaks the whole pool). Workers are
forked where the system can (a few milliseconds, so one text file gets its budget too) and spawned elsewhere.
"""

from __future__ import annotations

import difflib
import gc
import glob
import os
import pickle
import select
import signal
import time
from collections import deque
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from govreport_check.errors import InputError, NotAReport, internal_error
from govreport_check.fetch import is_url

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".mht", ".mhtml", ".docx", ".doc", ".wps", ".pdf",
                      ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})  # pictures: scans, read by OCR
_GLOB = set("*?[")
DEFAULT_TIMEOUT_S = 60.0  # per input; a report takes well under a second, a large PDF a few
JOBS_PER_CPU = 2  # --jobs is capped at this many workers a CPU: more would only share them and fill the memory
_AHEAD = 2  # inputs sent to a worker at a time: the one it is on and the next
_GRACE_S = 0.5  # how long a stopped worker may take to clean up (temporary folders) before it is killed
notices: list[str] = []  # why a batch ran on fewer workers than asked, for the CLI to print
page_bars = True  # whether OCR may show a bar per scanned page (layouts/ocr.py): one input, no bar of the batch's


@dataclass(frozen=True)
class Options:
    """What every worker needs to check a report the same way."""

    rule_files: tuple[str, ...] = ()  # extra rule files, in order
    select: tuple[str, ...] = ()  # --select patterns
    ignore: tuple[str, ...] = ()  # --ignore patterns
    encoding: str | None = None  # --encoding
    layout: str | None = None  # --layout
    previous: tuple[tuple[str, str], ...] = ()  # (report, last year's report of the same body) pairs
    keep_cells: bool = False  # keep every cell read in each result, for outputs that draw the tables (html)


def expand(args: list[str]) -> list[Path]:
    """Files named, files under folders (recursively, report suffixes only, symlinked folders not followed; a folder's
    README describes it and is no report) and glob matches, in a stable order. A name that matches nothing is kept,
    to be reported as missing."""
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if Path(f).suffix.lower() in SUFFIXES and not f.startswith(".")
                          and not f.upper().startswith("README.")]
            out += sorted(found)
        elif not path.exists() and _GLOB & set(arg) and not is_url(arg):  # an address's `?` is no glob
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True))
            out += [m for m in matches if m.is_file()] or [path]
        else:
            out.append(path)
    seen: dict[str, Path] = {}
    folders: dict[str, str] = {}
    for path in out:
        seen.setdefault(_real(path, folders), path)  # a file reached twice (symlinks, overlapping args) once
    return list(seen.values())


def _real(path: Path, folders: dict[str, str]) -> str:
    """os.path.realpath(path), resolving each folder once: realpath checks every part of every path, and a
    batch has a thousand files in a few folders."""
    if path.name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    parent = str(path.parent)
    if parent not in folders:
        folders[parent] = os.path.realpath(parent)
    return os.path.join(folders[parent], path.name)


@lru_cache(maxsize=8)
def select_rules(options: Options) -> tuple:
    """Loaded once per process and options (a forked worker inherits the parent's)."""
    return tuple(_select(options))


def _select(options: Options):
    from govreport_check.rules.load import builtin_rule_files, load_rules_cached

    rules = load_rules_cached(builtin_rule_files() + [Path(p) for p in options.rule_files])
    chosen, dropped = _patterns(options.select, rules, "--select"), _patterns(options.ignore, rules, "--ignore")

    def hit(rule, patterns):
        return any(p[4:] in rule.tags if p.startswith("tag:") else rule.id.startswith(p) for p in patterns)

    if chosen:
        rules = [r for r in rules if hit(r, chosen)]
    if dropped:
        rules = [r for r in rules if not hit(r, dropped)]
    if not rules:
        raise InputError("选择之后没有任何规则可以运行（--select 与 --ignore，或配置文件中的 select 与 ignore）")
    return rules


def _patterns(given: tuple[str, ...], rules, option: str) -> tuple[str, ...]:
    """Patterns split at commas, each one naming a rule id, an id prefix or a tag the rules have: a misspelt id
    would otherwise select nothing, and a failing report would pass with 检查 0 项."""
    out = tuple(p.strip() for item in given for p in item.split(",") if p.strip())
    ids = [r.id for r in rules]
    tags = sorted({t for r in rules for t in r.tags})
    for p in out:
        if p.startswith("tag:"):
            if p[4:] not in tags:
                close = difflib.get_close_matches(p[4:], tags, n=3, cutoff=0.3)
                hint = f"，最接近的是 {'、'.join('tag:' + t for t in close)}" if close else ""
                raise InputError(f"{option}（或配置文件）中的标签“{p[4:]}”没有任何规则使用{hint}；"
                                 f"`govreport-check rules` 列出全部规则与标签")
        elif not any(i.startswith(p) for i in ids):
            close = difflib.get_close_matches(p, ids, n=3, cutoff=0.5)
            hint = f"，最接近的是 {'、'.join(close)}" if close else ""
            raise InputError(f"{option}（或配置文件）中的规则“{p}”不存在{hint}；`govreport-check rules` 列出全部规则")
    return out


_worker: dict = {}


def _init(options: Options) -> None:
    _worker["options"] = options


def check_one(path: Path):
    """One report checked; never raises (an exception here would end the whole batch)."""
    from govreport_check.report import Unreadable

    try:
        return _check_one(path)
    except Exception as exc:  # noqa: BLE001 - the last line of defence; tests assert real inputs never reach it
        return Unreadable(str(path), internal_error(exc))


def _check_one(path: Path):
    from govreport_check.report import Unreadable, check, load_report, with_previous

    options = _worker["options"]
    try:
        report = load_report(path, options.encoding, options.layout)
    except InputError as err:
        return Unreadable(str(path), err.message, err.line, isinstance(err, NotAReport))
    last = dict(options.previous).get(str(path))
    if last is not None:
        try:
            report = with_previous(report, load_report(last, options.encoding, options.layout))
        except InputError as err:
            return Unreadable(last, f"上一年报告无法读取：{err.message}", err.line)
    return check(report, select_rules(options), keep_cells=options.keep_cells)


def extract_one(path: Path):
    """One report read for `extract`; never raises, as check_one."""
    from govreport_check.report import Unreadable, load_report

    options = _worker["options"]
    try:
        return load_report(path, options.encoding, options.layout)
    except InputError as err:
        return Unreadable(str(path), err.message, err.line)
    except Exception as exc:  # noqa: BLE001 - as check_one
        return Unreadable(str(path), internal_error(exc))


def pairs(results: list) -> tuple[tuple[str, str], ...]:
    """Each checked report with last year's report of the same body, when both are in the batch."""
    seen: dict[tuple[str, int], str] = {}
    for r in results:
        summary = getattr(r, "report", None)
        if summary is not None and summary.unit and summary.year:
            seen.setdefault((summary.unit.replace(str(summary.year), ""), summary.year), summary.path)
    return tuple((path, seen[(unit, year - 1)]) for (unit, year), path in seen.items() if (unit, year - 1) in seen)


def check_all(paths: list[Path], options: Options, jobs: int, progress: Callable[[], None] | None = None,
              pair: bool = True, timeout: float = DEFAULT_TIMEOUT_S) -> list:
    """Results in input order. With `pair`, reports whose body's previous year is also in the batch are
    checked again against it (after the first pass has told us every report's body and year)."""
    select_rules(options)  # here, so that forked workers inherit the rules
    results = list(run(paths, options, jobs, progress, timeout))
    found = pairs(results) if pair and not options.previous and len(paths) > 1 else ()
    if found:
        again = [Path(p) for p, _ in found]
        select_rules(replace(options, previous=found))
        redo = dict(zip((str(p) for p in again), run(again, replace(options, previous=found), jobs, None, timeout)))
        results = [redo.get(getattr(r, "path", None) or r.report.path, r) for r in results]
    return results


def worker_count(jobs: int, inputs: int) -> int:
    """--jobs as given, but never more workers than inputs nor than JOBS_PER_CPU a CPU."""
    return max(1, min(jobs, inputs, JOBS_PER_CPU * (os.cpu_count() or 1)))


def run(paths: list[Path], options: Options, jobs: int, progress: Callable[[], None] | None = None,
        timeout: float = DEFAULT_TIMEOUT_S, task: Callable = check_one) -> Iterator:
    """`task` (check_one, extract_one) on each path, results in input order, each input given `timeout` seconds
    (0: no limit). Only jobs=1 without a limit runs in this process."""
    if not paths:
        return
    size = worker_count(jobs, len(paths))
    global page_bars
    page_bars = size == 1 and not progress  # under the batch's own bar, or with several workers, none per page
    if timeout or size > 1:
        results: Iterable = _Pool(options, task, size, timeout or None).results(paths)
    else:
        _init(options)
        results = map(task, paths)
    for result in results:
        yield result
        if progress:
            progress()


_DIED = object()  # a worker's last answer when it has ended
MAX_MORE_TIME_S = 3600.0  # the most an input's budget grows by its own asking (a 100-page scan, one page at a time)


@dataclass(frozen=True)
class _MoreTime:
    """A worker's word that its input, slow but progressing (a scan read page by page), needs more of the budget."""

    seconds: float  # added to the input's deadline


def more_time(seconds: float) -> None:
    """Called by a reader at each slow step (an OCR'd page): the input's deadline moves by `seconds`, up to
    MAX_MORE_TIME_S in all. Outside a worker (one file, --timeout 0) there is no deadline to move."""
    reply = _worker.get("reply")
    if reply is not None:
        reply(_MoreTime(seconds))


class _Pool:
    """Worker processes, started when there is work and replaced when stopped or dead. Each holds its next input
    before it finishes the one it is on, so it never waits for this process in between; the inputs a stopped or
    dead worker had not started go to another. When no process can be started at all (fork refused), the rest runs
    in this process, without a time limit."""

    def __init__(self, options: Options, task: Callable, size: int, timeout: float | None):
        self.options, self.task, self.size, self.timeout = options, task, size, timeout
        self.sent: dict = {}  # worker → deque of the (index, path) it was sent and has not answered, first its current
        self.deadline: dict = {}  # worker → when its current input runs out of time
        self.granted: dict = {}  # worker → seconds its current input was given on asking (more_time)

    def results(self, paths: list[Path]) -> Iterator:
        import govreport_check.report  # noqa: F401 - imported before the workers fork, not once in each and here

        todo = deque(enumerate(paths))
        done: dict[int, object] = {}
        given = 0
        try:
            while given < len(paths):
                self._fill(todo)
                if not self.sent:
                    index, path = todo.popleft()
                    _init(self.options)
                    done[index] = self.task(path)
                else:
                    self._send(todo)
                    done.update(self._collect(todo))
                while given in done:
                    yield done.pop(given)
                    given += 1
        finally:
            for worker in self.sent:
                worker.stop("now", 1.0)

    def _fill(self, todo: deque) -> None:
        while todo and len(self.sent) < self.size:
            try:
                self.sent[_PROCESS.start(self.options, self.task, list(self.sent))] = deque()
            except OSError as exc:  # BlockingIOError (no more processes), ENOMEM, EMFILE: go on with fewer
                self.size = len(self.sent)
                why = exc.strerror or type(exc).__name__
                notices.append(f"只能启动 {self.size} 个检查进程（{why}），其余文件由已有进程检查" if self.size else
                               f"无法启动检查进程（{why}）：改为在本进程内逐个检查，不限时")
                return

    def _send(self, todo: deque) -> None:
        for worker, sent in self.sent.items():
            while todo and len(sent) < _AHEAD:
                try:
                    worker.send(todo[0][1])
                except OSError:  # it died: _collect hears it and sorts out its inputs
                    break
                if not sent:
                    self.deadline[worker] = time.monotonic() + self.timeout if self.timeout else None
                    self.granted[worker] = 0.0
                sent.append(todo.popleft())

    def _collect(self, todo: deque) -> dict:
        from govreport_check.report import Unreadable

        deadlines = [self.deadline[w] for w, sent in self.sent.items() if sent and self.deadline[w] is not None]
        busy = any(self.sent.values())
        wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None if busy else 0.0
        out = {}
        for worker in _PROCESS.ready(list(self.sent), wait):
            sent = self.sent[worker]
            answers = worker.receive()
            for got in answers:
                if isinstance(got, _MoreTime):
                    self._grant(worker, got.seconds)
                elif got is not _DIED:
                    out[sent.popleft()[0]] = got
                    self.deadline[worker] = time.monotonic() + self.timeout if sent and self.timeout else None
                    self.granted[worker] = 0.0
            if not answers or answers[-1] is not _DIED:
                continue
            how = _ended(worker.stop(None, 1.0))
            if sent:
                index, path = sent.popleft()
                out[index] = Unreadable(str(path), f"读取时进程意外退出（{how}；可能是内存不足，或这个文件使解析库崩溃）")
            else:
                self.size -= 1  # died with nothing to do: fewer workers, so that this cannot go on for ever
            self._drop(worker, todo)
        now = time.monotonic()
        for worker, sent in list(self.sent.items()):
            if sent and self.deadline[worker] is not None and self.deadline[worker] <= now:
                index, path = sent.popleft()
                worker.stop("ask", _GRACE_S)
                spent = self.timeout + self.granted.get(worker, 0.0)
                out[index] = Unreadable(str(path), f"读取超时（超过 {spent:g} 秒）")
                self._drop(worker, todo)
        return out

    def _grant(self, worker, seconds: float) -> None:
        given = self.granted.get(worker, 0.0)
        extra = max(0.0, min(float(seconds), MAX_MORE_TIME_S - given))
        if self.deadline.get(worker) is not None and extra:
            self.deadline[worker] += extra
            self.granted[worker] = given + extra

    def _drop(self, worker, todo: deque) -> None:
        """A worker gone: the inputs it was sent but had not started are done by another."""
        todo.extendleft(reversed(self.sent.pop(worker)))
        self.deadline.pop(worker, None)
        self.granted.pop(worker, None)


def _ended(code: int | None) -> str:
    return f"被信号 {-code} 终止" if code is not None and code < 0 else f"退出码 {code}"


def _serving(options: Options) -> None:
    """A worker's set-up: asked to stop, it unwinds (temporary folders are removed) instead of vanishing; left
    behind by a batch that was killed, it ends within a second instead of reading a hostile file for ever."""
    import threading

    _init(options)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _stop)
    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()


def _orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _stop(signum, frame):
    raise SystemExit(1)  # not an Exception: check_one's catch-all must not turn it into a result


def _answer(task: Callable, path: Path) -> bytes:
    from govreport_check.report import Unreadable

    try:
        return pickle.dumps(task(path), pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled is a bug of ours, for this input only
        return pickle.dumps(Unreadable(str(path), internal_error(exc)), pickle.HIGHEST_PROTOCOL)


class _Forked:
    """A forked worker: inherits the loaded modules and rules, talks through two pipes in length-prefixed pickles."""

    def __init__(self, pid: int, tasks: int, results: int):
        self.pid, self.tasks, self.results = pid, tasks, results
        self.buffer = b""
        self.open = True

    @classmethod
    def start(cls, options: Options, task: Callable, siblings: list) -> "_Forked":
        task_in, task_out = os.pipe()
        try:
            result_in, result_out = os.pipe()
        except OSError:
            os.close(task_in), os.close(task_out)
            raise
        try:
            pid = os.fork()
        except OSError:
            for fd in (task_in, task_out, result_in, result_out):
                os.close(fd)
            raise
        if pid == 0:  # pragma: no cover - runs in the child, which never returns from here
            code = 1
            try:
                for fd in (task_out, result_in, *(f for s in siblings for f in (s.tasks, s.results))):
                    os.close(fd)  # a sibling's pipes held here would keep it waiting when this batch is gone
                gc.freeze()  # the collector leaves what is inherited alone, so its pages are not copied
                _serving(options)
                _worker["reply"] = lambda message: _write(result_out, _framed(message))
                while len(head := _read(task_in, 8)) == 8:
                    body = _answer(task, pickle.loads(_read(task_in, int.from_bytes(head, "big"))))
                    _write(result_out, len(body).to_bytes(8, "big") + body)
                code = 0
            finally:
                os._exit(code)
        os.close(task_in)
        os.close(result_out)
        return cls(pid, task_out, result_in)

    def send(self, path: Path) -> None:
        body = pickle.dumps(path)
        _write(self.tasks, len(body).to_bytes(8, "big") + body)

    @staticmethod
    def ready(workers: list, wait: float | None) -> list:
        poller = select.poll()
        by_fd = {w.results: w for w in workers}
        for fd in by_fd:
            poller.register(fd, select.POLLIN)
        return [by_fd[fd] for fd, _ in poller.poll(None if wait is None else int(wait * 1000) + 1)]

    def receive(self) -> list:
        """The results that have come in whole (none, one, or more: a pipe may hold two), then _DIED at its end."""
        data = os.read(self.results, 1 << 20)
        if not data:
            return [_DIED]
        self.buffer += data
        out = []
        while len(self.buffer) >= 8 and len(self.buffer) >= 8 + (size := int.from_bytes(self.buffer[:8], "big")):
            out.append(pickle.loads(self.buffer[8:8 + size]))
            self.buffer = self.buffer[8 + size:]
        return out

    def stop(self, how: str | None, grace: float) -> int:
        """Ends the worker: asked ("ask"), killed ("now") or already ending (None), killed when `grace` seconds
        pass; its exit code, or minus the signal that ended it."""
        if self.open:
            os.close(self.tasks)
            os.close(self.results)
            self.open = False
        if how == "now":
            os.kill(self.pid, signal.SIGKILL)
            return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        if how == "ask":
            os.kill(self.pid, signal.SIGTERM)
        deadline, pause = time.monotonic() + grace, 0.001
        while not (ended := os.waitpid(self.pid, os.WNOHANG))[0]:
            if time.monotonic() >= deadline:
                os.kill(self.pid, signal.SIGKILL)
                ended = os.waitpid(self.pid, 0)
                break
            time.sleep(pause)
            pause = min(2 * pause, 0.05)
        return os.waitstatus_to_exitcode(ended[1])


def _framed(message) -> bytes:
    body = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    return len(body).to_bytes(8, "big") + body


def _read(fd: int, size: int) -> bytes:
    """`size` bytes, fewer at the end of the pipe; plain os.read, which tests may not have replaced."""
    data = b""
    while len(data) < size and (more := os.read(fd, size - len(data))):
        data += more
    return data


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _Spawned:
    """A spawned worker, where there is no fork: it starts a fresh interpreter and loads the rules itself."""

    def __init__(self, process, connection):
        self.process, self.connection = process, connection

    @classmethod
    def start(cls, options: Options, task: Callable, siblings: list) -> "_Spawned":
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        mine, theirs = context.Pipe()
        process = context.Process(target=_serve_connection, args=(theirs, options, task), daemon=True)
        try:
            process.start()
        except OSError:
            mine.close()
            raise
        finally:
            theirs.close()
        return cls(process, mine)

    def send(self, path: Path) -> None:
        self.connection.send_bytes(pickle.dumps(path))

    @staticmethod
    def ready(workers: list, wait: float | None) -> list:
        from multiprocessing.connection import wait as wait_for

        by_connection = {w.connection: w for w in workers}
        return [by_connection[c] for c in wait_for(list(by_connection), wait)]

    def receive(self) -> list:
        """As _Forked.receive: a Connection reads one message, and the rest waits in the pipe for the next round."""
        try:
            return [pickle.loads(self.connection.recv_bytes())]
        except (EOFError, OSError):
            return [_DIED]

    def stop(self, how: str | None, grace: float) -> int:
        """As _Forked.stop."""
        self.connection.close()
        if how:
            self.process.terminate() if how == "ask" else self.process.kill()
        self.process.join(grace)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        return self.process.exitcode


def _serve_connection(connection, options: Options, task: Callable) -> None:  # pragma: no cover - in the child
    _serving(options)
    _worker["reply"] = lambda message: connection.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))
    while True:
        try:
            path = pickle.loads(connection.recv_bytes())
        except EOFError:
            return
        connection.send_bytes(_answer(task, path))


_PROCESS = _Forked if hasattr(os, "fork") else _Spawned
