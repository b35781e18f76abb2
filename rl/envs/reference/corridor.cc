#include "rl/envs/reference/corridor.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

// 6. The spec: what the env declares about itself. Agents size their
//    networks from the spaces, the recorder picks the frame size and rate
//    from render_*, the conformance suite checks every reward against
//    min_reward..max_reward and the time limit against max_episode_steps.
EnvSpec CorridorSpec() {
  EnvSpec spec;
  spec.id = "Corridor-v0";  // Gymnasium's naming: Name-vN.
  spec.max_episode_steps = Corridor::kMaxSteps;
  spec.observation_space = Space::Box({0}, {Corridor::kLength - 1});
  spec.action_space = Space::Discrete(2);
  spec.min_reward = 0;
  spec.max_reward = 1;
  spec.render_width = 400;
  spec.render_height = 100;
  spec.render_fps = 4;
  return spec;
}

// 7. Registration: a namespace-scope constant initialised by Register(), in
//    a library marked alwayslink (see BUILD) so the linker keeps it. After
//    this, Envs().Create("Corridor-v0") works in any binary that links the
//    library, and the conformance suite tests the env automatically.
const bool kRegistered = Envs().Register(
    "Corridor-v0", "walk to the end of a corridor (the reference env)",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<Corridor>();
    });

}  // namespace

Corridor::Corridor() : Env(CorridorSpec()) {}

void Corridor::ResetState(std::mt19937_64& rng, Observation* observation) {
  // 8. Use the project's distributions (UniformInt, UniformReal,
  //    Categorical from env.h): the standard library's differ between
  //    platforms, ours give the same episode for the same seed everywhere.
  position_ = static_cast<int>(UniformInt(rng, kLength - 1));
  // Write into the given vector: it is reused from step to step, so
  // assign() allocates only the first time.
  observation->assign(1, static_cast<float>(position_));
}

void Corridor::StepState(const Action& action, StepResult* result) {
  // 9. No need to check the action: the base class refused anything
  //    outside Discrete(2), and any step after the episode ended.
  const int move = action.discrete == kRight ? 1 : -1;
  position_ = std::clamp(position_ + move, 0, kLength - 1);
  // terminated: the MDP reached a terminal state. Never set truncated
  // here: the base class does, at max_episode_steps, as Gymnasium's
  // TimeLimit wrapper.
  result->terminated = position_ == kLength - 1;
  result->reward = result->terminated ? 1.0 : 0.0;
  result->observation.assign(1, static_cast<float>(position_));
}

void Corridor::Draw(Canvas* canvas) const {
  // 10. Reset the canvas to the spec's size first. Coordinates are logical
  //     pixels, origin top left, y down; the renderer scales the canvas to
  //     whatever frame size was asked for.
  canvas->Reset(spec().render_width, spec().render_height, kWhite);
  constexpr float kCell = 50;
  constexpr float kTop = 30;
  for (int i = 0; i < kLength; ++i) {
    const Color fill = i == kLength - 1 ? Color{120, 200, 120, 255}
                                        : Color{225, 225, 225, 255};
    canvas->FillRect(i * kCell + 1, kTop + 1, kCell - 2, kCell - 2, fill);
  }
  canvas->FillCircle({position_ * kCell + kCell / 2, kTop + kCell / 2}, 18,
                     Color{40, 90, 200, 255});
  // Text uses the renderer's built-in font; `height` is in logical pixels.
  canvas->DrawText({4, 6}, 18, kBlack,
                   absl::StrCat("STEP ", elapsed_steps(), "/", kMaxSteps));
}

}  // namespace rl
