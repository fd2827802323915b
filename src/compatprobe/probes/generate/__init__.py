"""Probes generated in memory from the web platform's data: Web IDL (api.*), BCD's own tree
(javascript.builtins.*) and @webref/css (css.properties.*). Nothing is written under probes/."""
