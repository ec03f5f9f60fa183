"""Run every benchmark of issue 5 and write ``docs/performance.md``.

``python -m benchmarks`` (``--quick`` for a short run, ``--only 1,4`` to pick benchmarks,
``--no-write`` to leave the docs alone). Each benchmark measures the SDK and its floor in
the same run, interleaved (the order alternates every repetition), and reports medians and
the median of the per-repetition ratios SDK / floor against the issue's target.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import dataclasses
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"


@dataclasses.dataclass
class Result:
    """One line of the report."""

    bench: str
    what: str
    sdk: float
    floor: float
    unit: str
    ratio: float
    target: str
    met: bool | None  # None: a reference line, no target
    note: str = ""


RESULTS: list[Result] = []
LOAD = [0.0]


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.1f} µs"
        if value < 1:
            return f"{value * 1e3:.2f} ms"
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:,.0f} {unit}"


def record(bench: str, what: str, sdk: float, floor: float, unit: str, ratio: float, target: float | None,
           *, higher_is_better: bool = False, note: str = "") -> None:
    """Keep and print one result."""
    if target is None:
        met, target_text = None, "reference"
    elif higher_is_better:
        met, target_text = ratio >= target, f"≥ {target:.2f}x"
    else:
        met, target_text = ratio <= target, f"≤ {target:.2f}x"
    res = Result(bench, what, sdk, floor, unit, ratio, target_text, met, note)
    RESULTS.append(res)
    verdict = {True: "met", False: "NOT MET", None: ""}[met]
    print(f"  {what:<58} sdk {_fmt(sdk, unit):>11}  floor {_fmt(floor, unit):>11}  "
          f"ratio {ratio:5.2f}  target {target_text:<9} {verdict}", flush=True)


def paired(sdk: Callable[[], Any], floor: Callable[[], Any], reps: int, inner: int = 1) -> tuple[float, float, float]:
    """Interleaved timing: medians (per call) of SDK and floor, and the median ratio."""
    sdk(), floor()  # warm up
    a: list[float] = []
    b: list[float] = []
    ratios: list[float] = []
    clock = time.perf_counter
    for rep in range(reps):
        order = (sdk, floor) if rep % 2 else (floor, sdk)
        times = {}
        for fn in order:
            start = clock()
            for _ in range(inner):
                fn()
            times[fn] = (clock() - start) / inner
        a.append(times[sdk])
        b.append(times[floor])
        ratios.append(times[sdk] / times[floor])
    return statistics.median(a), statistics.median(b), statistics.median(ratios)


# --------------------------------------------------------------------------- 1. typed parse


def bench_parse(quick: bool) -> None:
    from benchmarks._data import subscriber_document, subscribers_document
    from benchmarks._floors import etree_dicts, lxml_typed_dicts
    from spreedly_sdk import Subscriber

    print("1. typed parse vs lxml -> typed dicts", flush=True)
    plan = [(1, 400, 10), (100, 40, 1), (1000, 9, 1), (10000, 5, 1)]
    if quick:
        plan = [(1, 100, 10), (100, 15, 1), (1000, 5, 1), (10000, 3, 1)]
    for n, reps, inner in plan:
        body = subscriber_document(1) if n == 1 else subscribers_document(n)
        if n == 1:
            def sdk(body: bytes = body) -> Any:
                return Subscriber.from_xml(body)
        else:
            def sdk(body: bytes = body) -> Any:
                return Subscriber.list_from_xml(body)

        def floor(body: bytes = body) -> Any:
            return lxml_typed_dicts(body)

        s, f, r = paired(sdk, floor, reps, inner)
        record("1", f"Subscriber parse, {n:,} subscriber(s)", s, f, "s", r, 1.10)
        if n <= 1000:
            def old(body: bytes = body) -> Any:
                return etree_dicts(body)

            s2, f2, r2 = paired(old, floor, max(3, reps // 3), inner)
            record("1", f"  pyspreedly-style ElementTree -> dicts, {n:,}", s2, f2, "s", r2, None)
        if n <= 100:
            if n == 1:
                def ref(body: bytes = body) -> Any:
                    return Subscriber.from_xml_reference(body)
            else:
                from lxml import etree

                def ref(body: bytes = body) -> Any:
                    root = etree.fromstring(body)
                    return [Subscriber.from_xml_tree(item) for item in root]  # type: ignore[arg-type]
            s3, f3, r3 = paired(ref, floor, max(3, reps // 3), inner)
            record("1", f"  pydantic-xml from_xml (reference path), {n:,}", s3, f3, "s", r3, None)


# --------------------------------------------------------------------------- 2. 100,000 subscribers


def _memory_run(mode: str, path: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks._memory", mode, path], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench_large(quick: bool) -> None:
    from benchmarks._data import subscribers_chunks

    n = 20_000 if quick else 100_000
    reps = 1
    print(f"2. {n:,} subscribers: whole-document parse and streaming iter() (fresh processes)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "subscribers.xml")
        size = 0
        with open(path, "wb") as fh:
            for chunk in subscribers_chunks(n):
                size += fh.write(chunk)
        runs: dict[str, list[dict[str, Any]]] = {"floor": [], "parse": [], "iter": []}
        for rep in range(reps):
            modes = ["floor", "parse", "iter"] if rep % 2 == 0 else ["iter", "parse", "floor"]
            for mode in modes:
                res = _memory_run(mode, path)
                assert res["items"] == n, res
                runs[mode].append(res)

    def med(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[mode])

    floor_t = med("floor", "seconds")
    note = f"body {size / 2**20:.0f} MB"
    record("2", f"Subscriber.list_from_xml, {n:,} subscribers (time)", med("parse", "seconds"), floor_t, "s",
           med("parse", "seconds") / floor_t, 1.25, note=note)
    record("2", f"subscribers.iter() streamed, {n:,} (time)", med("iter", "seconds"), floor_t, "s",
           med("iter", "seconds") / floor_t, 1.30, note=note)
    floor_m = med("floor", "growth_mb")
    growth = med("iter", "growth_mb")
    RESULTS.append(Result("2", f"subscribers.iter() streamed, {n:,} (peak RSS growth)", growth, floor_m, "MB",
                          growth / floor_m if floor_m else 0.0, "≤ 50 MB", growth <= 50, note))
    print(f"  {'subscribers.iter() peak RSS growth':<58} sdk {growth:9.1f} MB  floor (whole doc) {floor_m:9.1f} MB"
          f"  target <= 50 MB {'met' if growth <= 50 else 'NOT MET'}", flush=True)
    parse_m = med("parse", "growth_mb")
    RESULTS.append(Result("2", f"Subscriber.list_from_xml, {n:,} (peak RSS growth)", parse_m, floor_m, "MB",
                          parse_m / floor_m if floor_m else 0.0, "reference", None, note))
    print(f"  {'list_from_xml peak RSS growth (reference)':<58} sdk {parse_m:9.1f} MB  floor {floor_m:9.1f} MB",
          flush=True)


# --------------------------------------------------------------------------- 3. one get


def bench_get(quick: bool) -> None:
    import httpx

    from benchmarks._data import subscriber_document
    from benchmarks._server import serve
    from spreedly_sdk import Client

    print("3. subscribers.get vs raw reused httpx.Client.get of the same bytes", flush=True)
    body = subscriber_document(42)
    reps, inner = (9, 50) if quick else (21, 100)
    with serve({"/api/v4/bench/subscribers/42.xml": body}) as base:
        client = Client("token", "bench", base_url=base)
        raw = httpx.Client()
        url = f"{base}/api/v4/bench/subscribers/42.xml"
        auth = ("token", "X")

        def sdk() -> Any:
            return client.subscribers.get("42")

        def floor() -> Any:
            return raw.get(url, auth=auth).content

        assert sdk().customer_id == "1042"
        s, f, r = paired(sdk, floor, reps, inner)
        record("3", "subscribers.get over loopback", s, f, "s", r, 1.20)
        client.close()
        raw.close()

    try:
        from spreedly_sdk.testing import Emulator
    except ImportError:
        Emulator = None  # type: ignore[assignment,misc]
    if Emulator is not None:
        emu = Emulator()
        emu.add_subscriber("42", screen_name="bench", email="bench@example.com")
        client = emu.client()
        url = f"{emu.BASE_URL}/api/v4/{emu.site_name}/subscribers/42.xml"
        with httpx.Client(transport=emu.transport) as probe:
            answer = probe.get(url, auth=(emu.token, "X"))
        same = answer.content
        headers = {"Content-Type": answer.headers.get("content-type", "application/xml")}
        what = "subscribers.get through the emulator's transport"
    else:
        same = body
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        mock = httpx.MockTransport(lambda request: httpx.Response(200, headers=headers, content=same))
        client = Client("token", "bench", base_url="http://bench.invalid", http_client=httpx.Client(transport=mock))
        url = "http://bench.invalid/api/v4/bench/subscribers/42.xml"
        what = "subscribers.get through MockTransport (no emulator yet)"
    bare = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, headers=headers, content=same)))

    def sdk_in() -> Any:
        return client.subscribers.get("42")

    def floor_in() -> Any:
        return bare.get(url).content

    s, f, r = paired(sdk_in, floor_in, reps, inner)
    record("3", what, s, f, "s", r, 1.6, note="vs a bare httpx.MockTransport with the same bytes")
    if Emulator is not None:
        raw_emu = httpx.Client(transport=emu.transport)

        def raw_in() -> Any:
            return raw_emu.get(url, auth=(emu.token, "X")).content

        s, f, r = paired(sdk_in, raw_in, reps, inner)
        record("3", "  the same vs a raw httpx.Client over the emulator's transport", s, f, "s", r, None,
               note="the SDK's share alone")
        raw_emu.close()
    client.close()
    bare.close()


# --------------------------------------------------------------------------- 4. update body


def bench_body(quick: bool) -> None:
    from benchmarks._floors import lxml_update_body
    from spreedly_sdk.models import SubscriberUpdate

    print("4. update body serialization vs lxml direct", flush=True)
    fields = {"screen_name": "joe & co", "email": "joe@example.com", "billing_first_name": "Joe",
              "billing_last_name": "Bloggs"}
    model = SubscriberUpdate(**fields)
    floor_bytes = lxml_update_body(fields["email"], fields["screen_name"], fields["billing_first_name"],
                                   fields["billing_last_name"])
    ours = model.to_xml(exclude_unset=True)
    assert ours == floor_bytes == model.to_xml_reference(exclude_unset=True), (ours, floor_bytes)
    reps, inner = (9, 500) if quick else (21, 2000)

    def sdk() -> Any:
        return model.to_xml(exclude_unset=True)

    def floor() -> Any:
        return lxml_update_body(fields["email"], fields["screen_name"], fields["billing_first_name"],
                                fields["billing_last_name"])

    s, f, r = paired(sdk, floor, reps, inner)
    record("4", "SubscriberUpdate.to_xml(exclude_unset=True)", s, f, "s", r, 1.0, note="same bytes")

    def sdk_build() -> Any:
        return SubscriberUpdate(**fields).to_xml(exclude_unset=True)

    s, f, r = paired(sdk_build, floor, reps, inner)
    record("4", "  building the model and writing it (reference)", s, f, "s", r, None)

    def ref() -> Any:
        return model.to_xml_reference(exclude_unset=True)

    s, f, r = paired(ref, floor, max(3, reps // 3), inner)
    record("4", "  pydantic-xml to_xml (reference path)", s, f, "s", r, None)


# --------------------------------------------------------------------------- 5. 1,000 async gets


def bench_async(quick: bool) -> None:
    import httpx

    from benchmarks._data import subscriber_document
    from benchmarks._server import serve
    from spreedly_sdk import AsyncClient

    n = 1000
    reps = 2 if quick else 4
    print(f"5. {n:,} concurrent async gets vs a tuned raw httpx.AsyncClient", flush=True)
    body = subscriber_document(42)
    with serve({"/api/v4/bench/subscribers/42.xml": body}) as base:
        url = f"{base}/api/v4/bench/subscribers/42.xml"

        async def run() -> tuple[list[float], list[float], list[float], int]:
            client = AsyncClient("token", "bench", base_url=base)
            # tuned like the SDK's own pool (httpx's default pool of 100 with a 5 s pool
            # timeout fails outright at this concurrency)
            raw = httpx.AsyncClient(limits=httpx.Limits(max_connections=n, max_keepalive_connections=100),
                                    timeout=httpx.Timeout(60.0))
            failures = 0

            async def sdk() -> float:
                nonlocal failures
                start = time.perf_counter()
                got = await asyncio.gather(*(client.subscribers.get("42") for _ in range(n)),
                                           return_exceptions=True)
                failures += sum(1 for g in got if isinstance(g, BaseException))
                return n / (time.perf_counter() - start)

            async def floor() -> float:
                start = time.perf_counter()
                got = await asyncio.gather(*(raw.get(url, auth=("token", "X")) for _ in range(n)))
                assert all(g.status_code == 200 for g in got)
                return n / (time.perf_counter() - start)

            await sdk()
            await floor()
            a, b, ratios = [], [], []
            for rep in range(reps):
                if rep % 2:
                    x = await sdk()
                    y = await floor()
                else:
                    y = await floor()
                    x = await sdk()
                a.append(x)
                b.append(y)
                ratios.append(x / y)
            await client.aclose()
            await raw.aclose()
            return a, b, ratios, failures

        a, b, ratios, failures = asyncio.run(run())
    record("5", f"{n:,} concurrent subscribers.get (throughput)", statistics.median(a), statistics.median(b),
           "calls/s", statistics.median(ratios), 0.9, higher_is_better=True,
           note=f"{failures} failed calls" if failures else "all calls succeeded")
    if failures:
        RESULTS[-1].met = False


# --------------------------------------------------------------------------- 6. import


def _import_time(statement: str) -> float:
    code = (f"import time; t = time.perf_counter(); {statement}; "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


_FIRST_PARSE = ("from spreedly_sdk import Subscriber; "
                "Subscriber.from_xml(b'<subscriber><customer-id>1</customer-id></subscriber>')")


def bench_import(quick: bool) -> None:
    print("6. import spreedly_sdk vs import httpx, lxml.etree, pydantic (fresh processes)", flush=True)
    # pip byte-compiles an installed package; a source checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise compile the SDK's modules in every process while the floor's come compiled.
    compileall.compile_dir(str(ROOT / "spreedly_sdk"), quiet=1)
    reps = 5 if quick else 11
    floor = "import httpx, lxml.etree, pydantic"
    lines = [
        ("import spreedly_sdk", "import spreedly_sdk", 1.3),
        ("  from spreedly_sdk import Client (loads client, transport and models; reference)",
         "from spreedly_sdk import Client", None),
        ("  ... and a first Subscriber.from_xml (builds its validator; reference)", _FIRST_PARSE, None),
    ]
    for label, statement, target in lines:
        a, b, ratios = [], [], []
        for rep in range(reps):
            if rep % 2:
                x = _import_time(statement)
                y = _import_time(floor)
            else:
                y = _import_time(floor)
                x = _import_time(statement)
            a.append(x)
            b.append(y)
            ratios.append(x / y)
        record("6", label, statistics.median(a), statistics.median(b), "s", statistics.median(ratios), target)


# --------------------------------------------------------------------------- 7. Client()


def bench_client(quick: bool) -> None:
    import httpx

    from spreedly_sdk import Client

    print("7. constructing a second Client vs constructing an httpx.Client", flush=True)
    Client("token", "bench").close()  # the first one pays the process-wide set-up
    made: list[Any] = []
    reps, inner = (7, 5) if quick else (15, 10)

    def sdk() -> Any:
        made.append(Client("token", "bench"))

    def floor() -> Any:
        made.append(httpx.Client())

    s, f, r = paired(sdk, floor, reps, inner)
    for obj in made:
        obj.close()
    record("7", "Client(token, site) after the first", s, f, "s", r, 0.1)


BENCHES: dict[str, Callable[[bool], None]] = {
    "1": bench_parse, "2": bench_large, "3": bench_get, "4": bench_body, "5": bench_async,
    "6": bench_import, "7": bench_client,
}


# --------------------------------------------------------------------------- the report


def _machine() -> list[str]:
    import httpx
    import lxml.etree
    import pydantic
    import pydantic_xml

    from spreedly_sdk import __version__

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f", {int(fh.readline().split()[1]) / 2**20:.0f} GB RAM"
    except OSError:
        pass
    pxml = getattr(pydantic_xml, "__version__", None)
    if pxml is None:
        from importlib.metadata import version

        pxml = version("pydantic-xml")
    return [
        f"- machine: {cpu}, {os.cpu_count()} CPUs{mem}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), lxml {lxml.etree.__version__}"
        f" (libxml2 {'.'.join(map(str, lxml.etree.LIBXML_VERSION))}), pydantic {pydantic.VERSION},"
        f" pydantic-xml {pxml}, httpx {httpx.__version__}, spreedly-sdk {__version__}",
    ]


INTRO = """# Performance

How much the typed SDK costs over the raw floor of each job, measured by the benchmarks in
`benchmarks/` and written here by them. Regenerate this page with:

```
.venv/bin/python -m benchmarks          # about 5 minutes on a quiet machine; --quick for about 2
```

Each benchmark runs the SDK and its floor in the same process (fresh processes for imports
and for the 100,000-subscriber case), interleaved with the order alternating every
repetition; figures are medians and the ratio is the median of the per-repetition ratios
SDK / floor. The machine is shared and noisy: expect a few percent of drift between runs, and
more on the shortest lines (the single-subscriber parse has landed between 1.09x and 1.21x on
one day, the update body between 1.29x and 1.33x), so a line near its target can fall on either side.

The floors, written plainly in `benchmarks/_floors.py`:

* parsing: `lxml.etree.fromstring` and one pass per element converting each value by its
  `type=` attribute to `int`, `Decimal`, `bool` or `datetime` (no validation, no models);
* the old pyspreedly algorithm (stdlib ElementTree → dicts) and pydantic-xml's own
  `from_xml`/`to_xml` are shown as reference lines, without targets;
* HTTP: a raw reused `httpx.Client.get` (or a tuned `httpx.AsyncClient`) of the same bytes
  from the same loopback server (`benchmarks/_server.py`), or a bare `httpx.MockTransport`;
* request bodies: the same `<subscriber>` built with `lxml.etree.SubElement` directly.

The test data is generated by `benchmarks/_data.py`: 2013-style subscribers of about 2.5 KB,
each with a nested invoice and line item, `nil="true"` values and Rails `type=` attributes.
"""

HOW = """
## How the targets are approached

* **One declaration, one pass.** `RailsModel.element_to_dict` walks each element once with a
  per-class table (tag -> kind, field name, nested model or the test of the service's value
  form) built from the pydantic-xml declaration; values stay strings (booleans are converted on
  the way) and one `model_validate` per item converts them in pydantic-core. Each typed value
  is tested against the service's own form with one C-level call (a compiled regex, a dict
  lookup; the usual datetime shape by three character checks), so pydantic's lax conversions
  never see `1_000` or `yes`: about 4% of a list parse. Undeclared elements cost nothing
  unless present (then they go to `model_extra`). The pydantic-xml machinery remains the
  reference path (`from_xml_reference`/`to_xml_reference`, wired through pydantic-xml's public
  `XmlFieldValidator`/`XmlFieldSerializer`); `tests/performance/` and the property tests check
  that both give the same models over every sample, fixture, generated document and edge case
  (repeats and reordering included), and that `iter()` yields exactly what `list()` returns.
* **No garbage collection mid-document.** Lists of 64 items or more are read with the cyclic
  collector paused (`gc_paused()` in `models/_base.py`: nestable, thread-safe, restores the
  previous state). Without it the collector walks the growing list of new models again and
  again.
* **One parser per thread** (`_xml.parse_document`) instead of one per document.
* **Streaming lists.** `subscribers.iter()` feeds the body chunk by chunk to an incremental
  parser that reports only the ends of the item elements (lxml filters by tag, so there is
  no Python step per element), hands each item to the reader and detaches it together with
  whatever came before it (undeclared elements, text): memory stays flat whatever the list
  length and whatever lies between items. The root is still checked from its start tag, in
  any encoding the parser reads (UTF-16/32 of either byte order, with or without a mark).
* **Writing.** `to_xml` walks a per-class writer table (tag, attributes, nil form) and builds
  the lxml tree directly. The XML 1.0 character check is lxml's own (it refuses exactly the
  characters XML 1.0 forbids, pinned by a test over every BMP code point); the SDK only names
  the field when lxml refuses. The house rule (docs/models.md, "Values") is that
  outgoing XML is built by lxml only, never by string formatting, so the writer performs the
  same lxml calls as the floor plus its own field loop: it cannot come in under the floor.
  (A string-template writer with escaping measured 0.55x of the floor, same bytes, and was
  dropped for that rule.)
* **Per call.** API URLs are recognised as same-origin without parsing them. A client the SDK
  made has nothing to merge into a request, so API requests are built with `httpx.Request`
  and handed to the transport httpx mounted for the URL (environment proxies still apply),
  skipping `build_request`'s merging and `send`'s cookie bookkeeping: about a fifth of a
  loopback call. A client you pass in keeps the whole httpx path (its headers, cookies, hooks).
* **Loading on first use.** `import spreedly_sdk` loads only the errors and the version: the
  other public names load on first access (PEP 562, as `import pydantic` itself does, which
  is part of the floor), and each model builds its validator and serializer the first time it
  is used (pydantic's `defer_build`), so a process never pays for models it does not use. The
  reference lines under benchmark 6 show where the cost went: `from spreedly_sdk import Client`
  loads the client, the transport and pydantic-xml with the model classes; a first
  `Subscriber.from_xml` also builds that model. The import figures are taken with the
  package byte-compiled, as pip leaves an installed package.
"""


def write_report(quick: bool, elapsed: float) -> None:
    lines = [INTRO, "## Results", "",
             f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC{' (--quick)' if quick else ''},"
             f" {elapsed:.0f} s in all; load average {LOAD[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at"
             " the end (2 cores: other work on the machine slows either side of a comparison).", "",
             *_machine(), "",
             "| # | what | SDK | floor | ratio | target | |", "|---|---|---|---|---|---|---|"]
    for r in RESULTS:
        ratio = "—" if r.unit == "MB" else f"{r.ratio:.2f}x"
        verdict = {True: "met", False: "**not met**", None: ""}[r.met]
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.bench} | {r.what.strip()}{note} | {_fmt(r.sdk, r.unit)} | {_fmt(r.floor, r.unit)} | "
                     f"{ratio} | {r.target} | {verdict} |")
    missed = [r for r in RESULTS if r.met is False]
    lines += ["", "## Targets not met", ""]
    if missed:
        for r in missed:
            key = r.bench + ("e" if "emulator" in r.what or "MockTransport" in r.what else "")
            lines.append(f"* **{r.what.strip()}**: {r.ratio:.2f}x (target {r.target}). {EXPLAIN.get(key, '')}")
    else:
        lines.append("None in this run.")
    lines.append(HOW)
    DOC.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")


EXPLAIN: dict[str, str] = {
    "1": "The fixed per-document cost (root check, the hardened parser's DOCTYPE check, one "
         "validation call per item) weighs most on small documents; the machine's noise is of the same "
         "size (see the load average above).",
    "2": "The whole-document figures come from one fresh process per approach, run one after the "
         "other, so a change of machine load between them moves the ratio; streaming also pays the "
         "incremental parser and the HTTP layer (a mock transport reading the file in 64 KiB chunks).",
    "3": "The raw floor only moves bytes; the SDK call also parses a 2.5 KB subscriber into typed models "
         "(0.15x of the floor on its own) and reads the body through its size cap. Measured apart, the "
         "SDK's send without the parse comes to about 0.85x of the floor; the two together cost a little "
         "more than their sum on this machine, and the ratio moves by a few hundredths between runs.",
    "3e": "This floor is a bare MockTransport returning fixed bytes, while the SDK side runs the "
          "emulator (routing, authentication, the site state, rendering the subscriber with its "
          "invoices through the models' writer and laying the document out indented as the service "
          "did, on every request) as well as the SDK. Against a raw `httpx.Client` over the same "
          "emulator transport (the reference line under it) the SDK costs about 1.1x: the rest of the "
          "gap is the emulator's own work. Not done: caching each subscriber's rendered document in "
          "the emulator (every state change and the clock would have to invalidate it).",
    "4": "Outgoing XML must be built with lxml (house rule), so the SDK performs the floor's lxml calls "
         "plus its loop over the model's fields (which fields were set, which kind each is); see below.",
    "5": "All 1,000 calls succeed. Both sides are bound by opening up to 1,000 sockets and by httpcore's "
         "pool bookkeeping on a 2-core machine (the absolute rate is low for both); the SDK also parses "
         "every answer into a model while the raw client only reads the bytes. The ratio moves by more "
         "than 0.1 between runs.",
    "6": "Loading the model layer means importing pydantic-xml, which loads the pydantic model machinery "
         "that `import pydantic` alone leaves unloaded (about 0.6x of the floor by itself), and creating "
         "about twenty model classes; see 'Loading on first use' below.",
    "7": "",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, 20,000 instead of 100,000")
    parser.add_argument("--only", default="", help="comma-separated benchmark numbers (default: all)")
    parser.add_argument("--no-write", action="store_true", help=f"do not rewrite {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    chosen = [b.strip() for b in args.only.split(",") if b.strip()] or list(BENCHES)
    LOAD[0] = os.getloadavg()[0]
    start = time.perf_counter()
    for key in chosen:
        BENCHES[key](args.quick)
    elapsed = time.perf_counter() - start
    if not args.no_write and not args.only:
        write_report(args.quick, elapsed)
    missed = [r for r in RESULTS if r.met is False]
    print(f"done in {elapsed:.0f} s; {len(missed)} target(s) not met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
