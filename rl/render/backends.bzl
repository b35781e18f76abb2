"""The list of render backends, turned into //rl/render:backends and friends.

rl/render/BUILD holds the list, one line per backend: its name and its
target (a folder of its own). From it, render_backends() makes:

  :backends            every backend, less those left out with
                       --define=rl_render_no_NAME=1 (.bazelrc's
                       --config=no_NAME), which are replaced by:
  :NAME_not_built      a stand-in that tells the registry NAME was left out
                       (so the error says "not built", not "unknown");
  :no_NAME             the config_setting of that define, for tests that
                       need the backend (target_compatible_with).

render_backend_defines() gives the registry the same list (name=target), so
a binary that does not link a backend at all still calls it by name.
"""

def render_backend_defines(backends):
    """local_defines for //rl/render:render_backend: the project's backends."""
    entries = ["%s=%s" % (name, target) for name, target in backends.items()]
    return ["RL_RENDER_PROJECT_BACKENDS=\\\"%s\\\"" % ",".join(entries)]

def render_backends(name, backends, always = []):
    """The library `name` linking every backend of `backends` built in.

    Args:
      name: the library, e.g. "backends".
      backends: dict of backend name -> its target, e.g.
        {"egl": "//rl/render/egl"}.
      always: other deps of the library.
    """
    deps = list(always)
    for backend, target in backends.items():
        native.config_setting(
            name = "no_" + backend,
            define_values = {"rl_render_no_" + backend: "1"},
        )
        native.cc_library(
            name = backend + "_not_built",
            srcs = ["not_built_backend.cc"],
            local_defines = [
                "RL_NOT_BUILT_BACKEND=\\\"" + backend + "\\\"",
            ],
            deps = [":render_backend"],
            alwayslink = True,
        )
        deps += select({
            ":no_" + backend: [":" + backend + "_not_built"],
            "//conditions:default": [target],
        })
    native.cc_library(
        name = name,
        deps = deps,
    )
