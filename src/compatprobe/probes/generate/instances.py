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
