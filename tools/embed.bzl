"""Embeds a text file (a page's HTML, CSS and JS) in C++ at build time.

The file stays a file of its own, readable and editable as what it is; the
C++ code gets it as a constant.

Example (BUILD):
    load("//tools:embed.bzl", "embed_text")
    embed_text(
        name = "live_page_html",
        src = "live_page.html",
        header = "live_page_html.h",
        variable = "kLivePageHtml",
    )
    # C++: #include "rl/live/live_page_html.h"; std::string(kLivePageHtml)
"""

def embed_text(name, src, header, variable):
    """A cc_library `name` whose header defines `inline constexpr char variable[]`.

    The file must not contain the raw-string delimiter `)EMBED"`.
    """
    native.genrule(
        name = name + "_header",
        srcs = [src],
        outs = [header],
        cmd = ("if grep -q ')EMBED\"' $<; then " +
               "echo '$< contains the delimiter )EMBED\"' >&2; exit 1; fi; " +
               "{ echo '// Generated from $< by //tools:embed.bzl; edit that file.'; " +
               "echo '#pragma once'; " +
               "printf 'inline constexpr char " + variable + "[] = R\"EMBED('; " +
               "cat $<; " +
               "echo ')EMBED\";'; } > $@"),
    )
    native.cc_library(
        name = name,
        hdrs = [header],
    )
