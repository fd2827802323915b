"""Side-effect-free ways to get an instance of an interface, for members that engines put on
instances rather than on the prototype (Firefox's cssFloat, External's methods, [LegacyUnforgeable]).

Each expression runs in the probe's realm. None opens a window, a prompt, a device or a
connection; where the environment may lack what is asked for (a WebGL context, speech voices),
the expression gives null and the probe says it cannot tell rather than "not supported".
"""

from __future__ import annotations

INSTANCES: dict[str, str] = {
    "Window": "window",
    "Document": "document",
    "HTMLDocument": "document",
    "Location": "location",
    "History": "history",
    "Navigator": "navigator",
    "Screen": "screen",
    "Performance": "performance",
    "Crypto": "crypto",
    "SubtleCrypto": "crypto.subtle",
    "External": "window.external",
    "Event": 'new Event("compatprobe")',
    "CustomEvent": 'new CustomEvent("compatprobe")',
    "CSSStyleDeclaration": "document.documentElement.style",
    "CSSStyleProperties": "document.documentElement.style",
    "CSS2Properties": "document.documentElement.style",
    "Element": "document.documentElement",
    "HTMLElement": "document.documentElement",
    "HTMLHtmlElement": "document.documentElement",
    "Node": "document",
    "AbstractRange": "document.createRange()",
    "Range": "document.createRange()",
    "DOMImplementation": "document.implementation",
    "StyleSheetList": "document.styleSheets",
    "FontFaceSet": "document.fonts",
    "Storage": "localStorage",
    "CustomElementRegistry": "customElements",
    "Selection": "getSelection()",
    "VisualViewport": "visualViewport",
    "BarProp": "locationbar",
    "MediaDevices": "navigator.mediaDevices",
    "Permissions": "navigator.permissions",
    "Geolocation": "navigator.geolocation",
    "StorageManager": "navigator.storage",
    "LockManager": "navigator.locks",
    "UserActivation": "navigator.userActivation",
    "MediaCapabilities": "navigator.mediaCapabilities",
    "ServiceWorkerContainer": "navigator.serviceWorker",
    "Clipboard": "navigator.clipboard",
    "SpeechSynthesis": "speechSynthesis",
    "SpeechSynthesisVoice": "speechSynthesis.getVoices()[0]",
    "CanvasRenderingContext2D": 'document.createElement("canvas").getContext("2d")',
    "WebGLRenderingContext": 'document.createElement("canvas").getContext("webgl")',
    "WebGL2RenderingContext": 'document.createElement("canvas").getContext("webgl2")',
}

# Interfaces an engine implements without an interface object on the global (Web IDL alone cannot
# say which): an instance made by what the spec says returns one answers for the interface and its
# members. An expression may give a promise (the probe awaits it), null (the environment gives
# none here: cannot tell) or false (what would make one is missing too: so is the interface).
# How long after its calls have settled a route still waits for a report or an event to come.
REPORT_GRACE_MS = 100
_FILE_SYSTEM = "new Promise((ok) => webkitRequestFileSystem(0, 0, ok, () => ok(null)))"
# Deprecated calls without side effects that an engine reports: a synchronous XMLHttpRequest on the
# main thread (Chromium), MouseEvent's mozPressure (Firefox), createImageBitmap() with
# imageOrientation "none" (Chromium, in workers too), and an ImageBitmapRenderingContext's
# transferImageBitmap() on a 1x1 OffscreenCanvas (Firefox, in windows, dedicated and service
# workers: Gecko's bindings report a [Deprecated] member to the calling global's observers, a
# worker's included). A Report of any type will do for Report: in a worker, fetching a data: URL
# breaks the report-only policy the loopback server sends worker scripts with (run/server.py:
# WORKER_CSP), which both engines report there. Only the routes that want such a report break it:
# Firefox then adds SecurityPolicyViolationEvent to the worker's global, and the harness runs the
# probes that shared the worker again. An intervention: navigator.vibrate() in a frame
# nobody touched is blocked, not run, and Chromium reports it. Chromium reports interventions to a
# frame's window only (Blink's Intervention::GenerateReport takes a LocalFrame), and Gecko makes no
# InterventionReportBody at all: in workers, and in Firefox, none is had. Where nothing is
# reported, there is no instance. An engine files a report when the call is made, and the
# observer's records hold it at once (takeRecords), before its callback runs; so once the calls that
# report later (promises: createImageBitmap, fetch) have settled, a short grace decides, instead of
# waiting out a fixed half second where nothing comes (WebKitGTK, and workers: about 2 s a worker
# scope). `done` is a declaration: Firefox runs tasks inside a synchronous XMLHttpRequest, so the
# observer's callback can come before the statements after `send()`.
_REPORTS = (
    "typeof ReportingObserver !== 'function' ? false : new Promise((ok) => {{ const pending = [];"
    " const o = new ReportingObserver((r) => done(r), {{ buffered: true }}); o.observe();"
    " if (typeof document !== 'undefined') {{ const x = new XMLHttpRequest();"
    " x.open('GET', document.baseURI, false); x.send(); void new MouseEvent('compatprobe').mozPressure;"
    " if (typeof navigator.vibrate === 'function') navigator.vibrate(1); }}"
    " if (typeof createImageBitmap === 'function' && typeof ImageData === 'function') pending.push(createImageBitmap("
    "new ImageData(1, 1), {{ imageOrientation: 'none' }}).catch(() => {{}}));"
    " if (typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function'"
    " && typeof ImageData === 'function') try {{ const c = new OffscreenCanvas(1, 1).getContext('bitmaprenderer');"
    " if (typeof c?.transferImageBitmap === 'function') pending.push(createImageBitmap(new ImageData(1, 1))"
    ".then((b) => c.transferImageBitmap(b)).catch(() => {{}})); }} catch (e) {{}}"
    "{violation}"
    " const last = () => {{ done(o.takeRecords()); o.disconnect(); ok(null); }};"
    f" Promise.allSettled(pending).then(() => setTimeout(last, {REPORT_GRACE_MS})); setTimeout(last, 500);"
    " function done(rs) {{ const r = rs.find((r) => {wanted}); if (r) {{ o.disconnect(); ok({pick}); }} }} }})"
)
_VIOLATION = " if (typeof WorkerGlobalScope !== 'undefined') pending.push(fetch('data:,compatprobe').catch(() => {}));"
_MOTION = (
    "typeof DeviceMotionEvent !== 'function' ? false : new DeviceMotionEvent('devicemotion', {{ {} }}).{} ?? false"
)
_SPEECH = "typeof SpeechRecognition !== 'function' && typeof webkitSpeechRecognition !== 'function' ? false : null"
ROUTES: dict[str, str] = {
    "CSSFontFeatureValuesMap": (
        "(() => { const s = new CSSStyleSheet(); s.replaceSync('@font-feature-values f { @styleset { a: 1 } }');"
        " return s.cssRules[0]?.styleset ?? false; })()"
    ),
    "StyleMedia": "globalThis.styleMedia ?? false",
    "External": "globalThis.external ?? false",
    "DeviceMotionEventAcceleration": _MOTION.format("acceleration: { x: 0 }", "acceleration"),
    "DeviceMotionEventRotationRate": _MOTION.format("rotationRate: { alpha: 0 }", "rotationRate"),
    # Chromium's prefixed file system (sandboxed, temporary), and Firefox's entries from a DataTransfer.
    "FileSystem": f"typeof webkitRequestFileSystem !== 'function' ? false : {_FILE_SYSTEM}",
    "FileSystemEntry": f"typeof webkitRequestFileSystem !== 'function' ? false : {_FILE_SYSTEM}.then((f) => f?.root)",
    "FileSystemDirectoryEntry": (
        f"typeof webkitRequestFileSystem !== 'function' ? false : {_FILE_SYSTEM}.then((f) => f?.root)"
    ),
    # Chromium makes a file entry only from a file: one in the throwaway profile's sandboxed storage.
    "FileSystemFileEntry": (
        f"typeof webkitRequestFileSystem !== 'function' ? false : {_FILE_SYSTEM}.then((f) => f && new Promise("
        "(ok) => f.root.getFile('compatprobe', { create: true }, ok, () => ok(null))))"
    ),
    "FileSystemDirectoryReader": (
        f"typeof webkitRequestFileSystem !== 'function' ? false : {_FILE_SYSTEM}.then((f) => f?.root.createReader())"
    ),
    # The report of a deprecated call (_REPORTS).
    "Report": _REPORTS.format(wanted="true", pick="r", violation=_VIOLATION),
    "DeprecationReportBody": _REPORTS.format(wanted="r.type === 'deprecation'", pick="r.body", violation=""),
    # Chromium and Firefox give workers CSP violation reports with no CSPViolationReportBody global.
    "CSPViolationReportBody": _REPORTS.format(wanted="r.type === 'csp-violation'", pick="r.body", violation=_VIOLATION),
    "InterventionReportBody": _REPORTS.format(wanted="r.type === 'intervention'", pick="r.body", violation=""),
    # Reached only through a recognition's results, which take a microphone and a speech service.
    "SpeechRecognitionAlternative": _SPEECH,
    "SpeechRecognitionResult": _SPEECH,
    "SpeechRecognitionResultList": _SPEECH,
}
# The class names an engine still gives instances of a renamed interface (File and Directory
# Entries' DirectoryEntry, DeviceOrientation's DeviceAcceleration): the same interface.
FORMER_NAMES: dict[str, list[str]] = {
    "FileSystem": ["DOMFileSystem"],
    "FileSystemEntry": ["Entry"],
    "FileSystemDirectoryEntry": ["DirectoryEntry"],
    "FileSystemFileEntry": ["FileEntry"],
    "FileSystemDirectoryReader": ["DirectoryReader"],
    "DeviceMotionEventAcceleration": ["DeviceAcceleration"],
    "DeviceMotionEventRotationRate": ["DeviceRotationRate"],
}


def route(name: str) -> str:
    """An expression for an instance of interface `name`, for its members, or ""."""
    return ROUTES.get(name) or INSTANCES.get(name, "")
