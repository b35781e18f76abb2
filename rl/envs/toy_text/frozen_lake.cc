#include "rl/envs/toy_text/frozen_lake.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "rl/envs/env_kwargs.h"
#include "rl/envs/toy_text/sprites.h"

namespace rl {
namespace {

constexpr char kFourId[] = "FrozenLake-v1";
constexpr char kEightId[] = "FrozenLake8x8-v1";

const std::vector<std::string>& Desc(const FrozenLake::Options& options) {
  return options.desc.empty() ? FrozenLake::Map(options.map_name)
                              : options.desc;
}

EnvSpec FrozenLakeSpec(const FrozenLake::Options& options) {
  const std::vector<std::string>& desc = Desc(options);
  const int nrow = static_cast<int>(desc.size());
  const int ncol = static_cast<int>(desc[0].size());
  EnvSpec spec;
  spec.id = !options.id.empty()                                 ? options.id
            : options.desc.empty() && options.map_name == "8x8" ? kEightId
                                                                : kFourId;
  // Gymnasium registers the limit with the id, not with the map.
  spec.max_episode_steps = spec.id == kEightId ? 200 : 100;
  spec.observation_space = Space::Discrete(nrow * ncol);
  spec.action_space = Space::Discrete(4);
  spec.min_reward = std::min(
      {options.reward_goal, options.reward_hole, options.reward_frozen, 0.0});
  spec.max_reward = std::max(
      {options.reward_goal, options.reward_hole, options.reward_frozen, 0.0});
  // Gymnasium: window (min(64 * ncol, 512), min(64 * nrow, 512)).
  spec.render_width = std::min(64 * ncol, 512);
  spec.render_height = std::min(64 * nrow, 512);
  spec.render_fps = 4;
  return spec;
}

absl::Status CheckOptions(const FrozenLake::Options& options) {
  if (options.desc.empty() && options.map_name != "4x4" &&
      options.map_name != "8x8") {
    return absl::InvalidArgumentError(
        absl::StrCat("FrozenLake: unknown map_name '", options.map_name,
                     "': valid values are 4x4, 8x8 (or give a desc)"));
  }
  const std::vector<std::string>& desc = Desc(options);
  int starts = 0;
  for (const std::string& row : desc) {
    if (row.size() != desc[0].size() || row.empty()) {
      return absl::InvalidArgumentError(
          "FrozenLake: desc rows must all have the same, non-zero length");
    }
    for (char tile : row) {
      if (std::string("SFHG").find(tile) == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            "FrozenLake: tile '", std::string(1, tile),
            "' in desc; tiles are S (start), F (frozen), H (hole), G (goal)"));
      }
      starts += tile == 'S';
    }
  }
  if (starts == 0) {
    return absl::InvalidArgumentError("FrozenLake: desc has no start S");
  }
  if (!options.id.empty() && options.id != kFourId && options.id != kEightId) {
    return absl::InvalidArgumentError(absl::StrCat(
        "FrozenLake: unknown id '", options.id, "': valid ids are ", kFourId,
        ", ", kEightId, " (or none: by the map)"));
  }
  if (!(options.success_rate >= 0 && options.success_rate <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat("FrozenLake: success_rate ",
                                                   options.success_rate,
                                                   " is outside [0, 1]"));
  }
  return absl::OkStatus();
}

const bool kRegistered =
    Envs().Register("FrozenLake-v1",
                    "cross a slippery frozen lake, 4x4 (Gymnasium toy_text)",
                    []() -> absl::StatusOr<std::unique_ptr<Env>> {
                      return std::make_unique<FrozenLake>();
                    }) &&
    Envs().Register("FrozenLake8x8-v1",
                    "cross a slippery frozen lake, 8x8 (Gymnasium toy_text)",
                    []() -> absl::StatusOr<std::unique_ptr<Env>> {
                      FrozenLake::Options options;
                      options.map_name = "8x8";
                      return std::make_unique<FrozenLake>(options);
                    });

// gym.make("FrozenLake-v1", **kwargs) with Gymnasium 1.x's keyword names;
// FrozenLake8x8-v1 differs only in its default map_name.
absl::StatusOr<std::unique_ptr<Env>> FromKwargs(const std::string& id,
                                                const EnvKwargs& kwargs) {
  FrozenLake::Options options;
  options.id = id;
  if (id == kEightId) options.map_name = "8x8";
  EnvKwargsReader reader(id, kwargs);
  reader.String("map_name", &options.map_name);
  reader.Texts("desc", &options.desc);
  reader.Bool("is_slippery", &options.is_slippery);
  reader.Probability("success_rate", &options.success_rate);
  std::vector<double> schedule = {options.reward_goal, options.reward_hole,
                                  options.reward_frozen};
  reader.Numbers("reward_schedule", &schedule, 3);
  options.reward_goal = schedule[0];
  options.reward_hole = schedule[1];
  options.reward_frozen = schedule[2];
  const absl::Status status = reader.Finish();
  if (!status.ok()) return status;
  auto env = FrozenLake::Create(options);
  if (!env.ok()) return env.status();
  return std::unique_ptr<Env>(*std::move(env));
}

const bool kConfigurable =
    ConfigurableEnvs().Register("FrozenLake-v1",
                                Envs().Description("FrozenLake-v1"),
                                [](const EnvKwargs& kwargs) {
                                  return FromKwargs("FrozenLake-v1", kwargs);
                                }) &&
    ConfigurableEnvs().Register("FrozenLake8x8-v1",
                                Envs().Description("FrozenLake8x8-v1"),
                                [](const EnvKwargs& kwargs) {
                                  return FromKwargs("FrozenLake8x8-v1", kwargs);
                                });

}  // namespace

const std::vector<std::string>& FrozenLake::Map(const std::string& name) {
  static const auto* four =
      new std::vector<std::string>{"SFFF", "FHFH", "FFFH", "HFFG"};
  static const auto* eight = new std::vector<std::string>{
      "SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF",
      "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"};
  return name == "8x8" ? *eight : *four;
}

absl::StatusOr<std::unique_ptr<FrozenLake>> FrozenLake::Create(
    const Options& options) {
  const absl::Status status = CheckOptions(options);
  if (!status.ok()) return status;
  return std::make_unique<FrozenLake>(options);
}

FrozenLake::FrozenLake(const Options& options)
    : TabularEnv(
          FrozenLakeSpec(options),
          static_cast<int>(Desc(options).size() * Desc(options)[0].size()), 4),
      desc_(Desc(options)),
      nrow_(static_cast<int>(desc_.size())),
      ncol_(static_cast<int>(desc_[0].size())) {
  auto to_s = [this](int row, int col) { return row * ncol_ + col; };
  auto inc = [this](int row, int col, int a) {
    if (a == kLeft) col = std::max(col - 1, 0);
    if (a == kDown) row = std::min(row + 1, nrow_ - 1);
    if (a == kRight) col = std::min(col + 1, ncol_ - 1);
    if (a == kUp) row = std::max(row - 1, 0);
    return std::pair(row, col);
  };
  auto outcome = [&](int row, int col, int a, double probability) {
    const auto [new_row, new_col] = inc(row, col, a);
    const char letter = desc_[new_row][new_col];
    Transition t;
    t.probability = probability;
    t.next_state = to_s(new_row, new_col);
    t.terminated = letter == 'G' || letter == 'H';
    t.reward = letter == 'G'   ? options.reward_goal
               : letter == 'H' ? options.reward_hole
                               : options.reward_frozen;
    return t;
  };
  std::vector<double> initial(nrow_ * ncol_, 0.0);
  int starts = 0;
  for (int row = 0; row < nrow_; ++row) {
    for (int col = 0; col < ncol_; ++col) starts += desc_[row][col] == 'S';
  }
  for (int row = 0; row < nrow_; ++row) {
    for (int col = 0; col < ncol_; ++col) {
      const int s = to_s(row, col);
      const char letter = desc_[row][col];
      if (letter == 'S') initial[s] = 1.0 / starts;
      for (int a = 0; a < 4; ++a) {
        if (letter == 'G' || letter == 'H') {
          AddTransition(s, a, {1.0, s, 0, true});
        } else if (options.is_slippery) {
          const double side = (1 - options.success_rate) / 2;
          AddTransition(s, a, outcome(row, col, (a + 3) % 4, side));
          AddTransition(s, a, outcome(row, col, a, options.success_rate));
          AddTransition(s, a, outcome(row, col, (a + 1) % 4, side));
        } else {
          AddTransition(s, a, outcome(row, col, a, 1.0));
        }
      }
    }
  }
  SetInitialDistribution(std::move(initial));
}

void FrozenLake::Draw(Canvas* canvas) const {
  // Gymnasium's _render_gui: every cell gets ice, then its hole, goal or
  // stool, then a 1-pixel outline; then the elf (or the cracked hole it
  // fell into) on the current cell.
  const int width = spec().render_width;
  const int height = spec().render_height;
  // The ice is the canvas' background (no seam between tiles when drawn
  // scaled); each tile adds its glints.
  canvas->Reset(width, height, sprites::kIceColor);
  const float cw = static_cast<float>(width / ncol_);
  const float ch = static_cast<float>(height / nrow_);
  constexpr Color kGrid{180, 200, 230, 255};
  for (int y = 0; y < nrow_; ++y) {
    for (int x = 0; x < ncol_; ++x) {
      const sprites::Cell cell{x * cw, y * ch, cw, ch};
      sprites::Ice(canvas, cell);
      const char letter = desc_[y][x];
      if (letter == 'H') sprites::Hole(canvas, cell);
      if (letter == 'G') sprites::Gift(canvas, cell);
      if (letter == 'S') sprites::Stool(canvas, cell);
      // pygame.draw.rect(..., width=1): the cell's outermost pixel ring.
      canvas->FillRect(cell.x, cell.y, cw, 1, kGrid);
      canvas->FillRect(cell.x, cell.y + ch - 1, cw, 1, kGrid);
      canvas->FillRect(cell.x, cell.y + 1, 1, ch - 2, kGrid);
      canvas->FillRect(cell.x + cw - 1, cell.y + 1, 1, ch - 2, kGrid);
    }
  }
  const int row = s() / ncol_;
  const int col = s() % ncol_;
  const sprites::Cell here{col * cw, row * ch, cw, ch};
  if (desc_[row][col] == 'H') {
    sprites::CrackedHole(canvas, here);
  } else {
    // Gymnasium's elf images, by last action: left, down, right, up.
    static constexpr sprites::Facing kFacing[4] = {
        sprites::Facing::kLeft, sprites::Facing::kDown, sprites::Facing::kRight,
        sprites::Facing::kUp};
    sprites::Elf(canvas, here, kFacing[last_action().value_or(kDown)]);
  }
}

}  // namespace rl
