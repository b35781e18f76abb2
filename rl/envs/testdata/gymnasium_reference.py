#!/usr/bin/env python3
"""Expected values for the env dynamics tests, from plain-Python
re-implementations of Gymnasium's published equations (Gymnasium 1.x,
gymnasium/envs/classic_control/*.py and toy_text/*.py), independent of the
C++ code. Standard library only (no NumPy); float64 throughout, with float32
storage emulated (struct) where Gymnasium keeps float32 state.

Run: python3 rl/envs/testdata/gymnasium_reference.py
Each section prints the numbers pasted into the named test. With
--write_tables it also writes the toy-text transition tables the tests
compare whole (rl/envs/toy_text/testdata/*.txt).
"""
import math
import os
import struct
import sys


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


# ---------------------------------------------------------------- CartPole-v1
def cartpole_step(s, a):
    x, x_dot, theta, theta_dot = s
    force = 10.0 if a == 1 else -10.0
    costheta, sintheta = math.cos(theta), math.sin(theta)
    temp = (force + 0.05 * theta_dot**2 * sintheta) / 1.1
    thetaacc = (9.8 * sintheta - costheta * temp) / (
        0.5 * (4.0 / 3.0 - 0.1 * costheta**2 / 1.1))
    xacc = temp - 0.05 * thetaacc * costheta / 1.1
    x, x_dot = x + 0.02 * x_dot, x_dot + 0.02 * xacc
    theta, theta_dot = theta + 0.02 * theta_dot, theta_dot + 0.02 * thetaacc
    limit = 12 * 2 * math.pi / 360
    done = x < -2.4 or x > 2.4 or theta < -limit or theta > limit
    return (x, x_dot, theta, theta_dot), done


print("== cartpole_test.cc")
s = (0.01, -0.02, 0.03, 0.04)
for a in [1, 0, 0, 1, 1, 1, 0, 1, 0, 0]:
    s, _ = cartpole_step(s, a)
print("ten steps:", s)
s, n = (0.0, 0.0, 0.0, 0.0), 0
while True:
    s, done = cartpole_step(s, 1)
    n += 1
    if done:
        break
print("push right terminates at step", n, s)


# ---------------------------------------------------------------- Pendulum-v1
def angle_normalize(x):
    return ((x + math.pi) % (2 * math.pi)) - math.pi


def pendulum_step(s, u, g=10.0):
    th, thdot = s
    u = min(max(u, -2.0), 2.0)
    costs = angle_normalize(th) ** 2 + 0.1 * thdot**2 + 0.001 * (u**2)
    newthdot = thdot + (3 * g / (2 * 1.0) * math.sin(th) + 3.0 / (1.0 * 1.0**2) * u) * 0.05
    newthdot = min(max(newthdot, -8.0), 8.0)
    return (th + newthdot * 0.05, newthdot), -costs


print("== pendulum_test.cc")
s, rewards = (0.3, -0.5), []
for u in [0.5, -1.25, 2.0, 3.0, -2.5, 1.75, 0.0, -0.75, 1.0, -2.0]:
    s, r = pendulum_step(s, u)
    rewards.append(r)
print("ten steps:", s, rewards)
s = (3.0, 7.9)
for _ in range(5):
    s, r = pendulum_step(s, 2.0)
print("speed clip:", s, r)
print("wrap:", pendulum_step((7.0, 0.0), 0.0), pendulum_step((-4.0, 0.0), 0.0))


# ------------------------------------------------------------- MountainCar-v0
def mountain_car_step(s, a, goal_velocity=0.0):
    position, velocity = s
    velocity += (a - 1) * 0.001 + math.cos(3 * position) * (-0.0025)
    velocity = min(max(velocity, -0.07), 0.07)
    position += velocity
    position = min(max(position, -1.2), 0.6)
    if position == -1.2 and velocity < 0:
        velocity = 0
    return (position, velocity), position >= 0.5 and velocity >= goal_velocity


print("== mountain_car_test.cc (MountainCar-v0)")
s = (-0.5, 0.0)
for a in [2, 2, 0, 1, 2, 0, 0, 2, 1, 2, 2, 2]:
    s, _ = mountain_car_step(s, a)
print("twelve steps:", s)
s = (-1.15, -0.06)
for _ in range(3):
    s, _ = mountain_car_step(s, 0)
    print("wall:", s)
s, n = (-0.5, 0.0), 0
while True:
    s, done = mountain_car_step(s, 2 if s[1] >= 0 else 0)
    n += 1
    if done:
        break
print("bang-bang reaches the goal at step", n, s)
print("goal_velocity=0.01, at the goal slowly:",
      mountain_car_step((0.55, 0.0), 1), mountain_car_step((0.55, 0.0), 1, 0.01))
s, n = (-0.5, 0.0), 0
while True:
    s, done = mountain_car_step(s, 2 if s[1] >= 0 else 0, 0.05)
    n += 1
    if done:
        break
print("goal_velocity=0.05: bang-bang terminates at step", n, s)


# --------------------------------------------------- MountainCarContinuous-v0
def continuous_step(s, a, goal_velocity=0.0):
    position, velocity = s
    force = min(max(a, -1.0), 1.0)
    velocity += force * 0.0015 - 0.0025 * math.cos(3 * position)
    velocity = min(max(velocity, -0.07), 0.07)
    position += velocity
    position = min(max(position, -1.2), 0.6)
    if position == -1.2 and velocity < 0:
        velocity = 0
    terminated = position >= 0.45 and velocity >= goal_velocity
    reward = (100.0 if terminated else 0.0) - math.pow(a, 2) * 0.1
    # Gymnasium: self.state = np.array([position, velocity], dtype=np.float32)
    return (f32(position), f32(velocity)), reward, terminated


print("== mountain_car_test.cc (MountainCarContinuous-v0)")
s, rewards = (-0.5, 0.0), []
for a in [1.0, 0.5, -0.25, 2.0, -1.5, 0.75, 1.0, 1.0, -1.0, 0.0]:
    s, r, _ = continuous_step(s, f32(a))
    rewards.append(r)
print("ten steps:", s, rewards)
print("clipped force:", continuous_step((-0.5, 0.0), 3.0), continuous_step((-0.5, 0.0), 1.0))
s = (-1.15, -0.06)
for a in [-1.0, -1.0, 0.0]:
    s, r, _ = continuous_step(s, a)
    print("wall:", s)
s, n, total = (-0.5, 0.0), 0, 0.0
while True:
    s, r, done = continuous_step(s, 1.0 if s[1] >= 0 else -1.0)
    n, total = n + 1, total + r
    if done:
        break
print("bang-bang reaches the goal at step", n, s, "last reward", r, "total", total)
print("goal_velocity=0.01, at the goal slowly:",
      continuous_step((0.46, 0.0), 1.0), continuous_step((0.46, 0.0), 1.0, 0.01))


# ----------------------------------------------------------------- Acrobot-v1
def acrobot_dsdt(sa):  # book_or_nips = "book"
    m1 = m2 = l1 = 1.0
    lc1 = lc2 = 0.5
    i1 = i2 = 1.0
    g = 9.8
    a = sa[-1]
    theta1, theta2, dtheta1, dtheta2 = sa[:4]
    d1 = m1 * lc1**2 + m2 * (l1**2 + lc2**2 + 2 * l1 * lc2 * math.cos(theta2)) + i1 + i2
    d2 = m2 * (lc2**2 + l1 * lc2 * math.cos(theta2)) + i2
    phi2 = m2 * lc2 * g * math.cos(theta1 + theta2 - math.pi / 2.0)
    phi1 = (-m2 * l1 * lc2 * dtheta2**2 * math.sin(theta2)
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * math.sin(theta2)
            + (m1 * lc1 + m2 * l1) * g * math.cos(theta1 - math.pi / 2) + phi2)
    ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1**2 * math.sin(theta2) - phi2) / (
        m2 * lc2**2 + i2 - d2**2 / d1)
    ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
    return [dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0]


def acrobot_step(s, a):
    y0, dt = list(s) + [[-1.0, 0.0, 1.0][a]], 0.2
    dt2 = dt / 2.0
    k1 = acrobot_dsdt(y0)
    k2 = acrobot_dsdt([y + dt2 * k for y, k in zip(y0, k1)])
    k3 = acrobot_dsdt([y + dt2 * k for y, k in zip(y0, k2)])
    k4 = acrobot_dsdt([y + dt * k for y, k in zip(y0, k3)])
    ns = [y + dt / 6.0 * (p + 2 * q + 2 * r + w) for y, p, q, r, w in zip(y0, k1, k2, k3, k4)][:4]

    def wrap(x):
        while x > math.pi:
            x -= 2 * math.pi
        while x < -math.pi:
            x += 2 * math.pi
        return x

    ns = [wrap(ns[0]), wrap(ns[1]), min(max(ns[2], -4 * math.pi), 4 * math.pi),
          min(max(ns[3], -9 * math.pi), 9 * math.pi)]
    return ns, -math.cos(ns[0]) - math.cos(ns[1] + ns[0]) > 1.0


print("== acrobot_test.cc")
s = [f32(0.05), f32(-0.03), f32(0.02), f32(0.01)]
for a in [2, 2, 0, 0, 1, 2, 0, 2, 2, 0]:
    s, _ = acrobot_step(s, a)
print("ten steps:", s)
s, n = [0.0, 0.0, 0.0, 0.0], 0
while True:
    s, done = acrobot_step(s, 2 if s[3] >= 0 else 0)
    n += 1
    if n == 72:
        print("step 72:", s)
    if done:
        break
print("pumping terminates at step", n, s)
print("bounds:", acrobot_step([0.0, 0.0, 12.0, 27.0], 2)[0])
print("wrap:", acrobot_step([3.1, -3.1, 0.0, 0.0], 1)[0])


# ------------------------------------------------------------------ toy_text
def table_text(table, title):
    """P[s][a] = [(p, next, reward, terminated), ...] as the golden text the
    C++ tests compare line by line (rl/envs/toy_text/table_golden.h): every
    outcome in Gymnasium's order, so swapped actions or outcomes differ."""
    lines = [
        "# " + title,
        "# Gymnasium's P[s][a], written by rl/envs/testdata/gymnasium_reference.py",
        "# (a plain-Python re-implementation, not the C++ code): one line per",
        "# (state, action), then its outcomes in order as",
        "# probability,next_state,reward,terminated (probability to 12 digits).",
    ]
    for s in sorted(table):
        for a in sorted(table[s]):
            outcomes = " ".join("%.12g,%d,%g,%d" % (p, n, r, int(t))
                                for p, n, r, t in table[s][a])
            lines.append("%d %d %s" % (s, a, outcomes))
    return "\n".join(lines) + "\n"


MAPS = {"4x4": ["SFFF", "FHFH", "FFFH", "HFFG"],
        "8x8": ["SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF",
                "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"]}


def frozen_lake(map_name, slippery, success_rate=1 / 3):
    desc = MAPS[map_name]
    nrow, ncol = len(desc), len(desc[0])
    table = {s: {a: [] for a in range(4)} for s in range(nrow * ncol)}

    def inc(row, col, a):
        if a == 0:
            col = max(col - 1, 0)
        elif a == 1:
            row = min(row + 1, nrow - 1)
        elif a == 2:
            col = min(col + 1, ncol - 1)
        elif a == 3:
            row = max(row - 1, 0)
        return row, col

    def outcome(row, col, a):
        r, c = inc(row, col, a)
        letter = desc[r][c]
        return r * ncol + c, float(letter == "G"), letter in "GH"

    for row in range(nrow):
        for col in range(ncol):
            s = row * ncol + col
            for a in range(4):
                if desc[row][col] in "GH":
                    table[s][a].append((1.0, s, 0, True))
                elif slippery:
                    for b in [(a - 1) % 4, a, (a + 1) % 4]:
                        p = success_rate if b == a else (1 - success_rate) / 2
                        table[s][a].append((p, *outcome(row, col, b)))
                else:
                    table[s][a].append((1.0, *outcome(row, col, a)))
    return table


def cliff_walking(slippery):
    moves = {0: (-1, 0), 1: (0, 1), 2: (1, 0), 3: (0, -1)}
    table = {}
    for s in range(48):
        row, col = divmod(s, 12)
        table[s] = {}
        for move in range(4):
            deltas = [moves[m] for m in ([(move - 1) % 4, move, (move + 1) % 4]
                                         if slippery else [move])]
            out = []
            for dr, dc in deltas:
                r, c = min(max(row + dr, 0), 3), min(max(col + dc, 0), 11)
                if r == 3 and 1 <= c <= 10:
                    out.append((1 / len(deltas), 36, -100, False))
                else:
                    out.append((1 / len(deltas), r * 12 + c, -1, (r, c) == (3, 11)))
            table[s][move] = out
    return table


TAXI_MAP = ["+---------+", "|R: | : :G|", "| : | : : |", "| : : : : |",
            "| | : | : |", "|Y| : |B: |", "+---------+"]
LOCS = [(0, 0), (0, 4), (4, 0), (4, 3)]


def taxi_encode(row, col, passenger, destination):
    return ((row * 5 + col) * 5 + passenger) * 4 + destination


def taxi():  # _build_dry_transitions
    table = {s: {a: [] for a in range(6)} for s in range(500)}
    for row in range(5):
        for col in range(5):
            for pas in range(5):
                for dest in range(4):
                    s = taxi_encode(row, col, pas, dest)
                    for a in range(6):
                        nr, nc, npas, reward, term = row, col, pas, -1, False
                        if a == 0:
                            nr = min(row + 1, 4)
                        elif a == 1:
                            nr = max(row - 1, 0)
                        if a == 2 and TAXI_MAP[1 + row][2 * col + 2] == ":":
                            nc = min(col + 1, 4)
                        elif a == 3 and TAXI_MAP[1 + row][2 * col] == ":":
                            nc = max(col - 1, 0)
                        elif a == 4:
                            if pas < 4 and (row, col) == LOCS[pas]:
                                npas = 4
                            else:
                                reward = -10
                        elif a == 5:
                            if (row, col) == LOCS[dest] and pas == 4:
                                npas, term, reward = dest, True, 20
                            elif (row, col) in LOCS and pas == 4:
                                npas = LOCS.index((row, col))
                            else:
                                reward = -10
                        table[s][a].append((1.0, taxi_encode(nr, nc, npas, dest), reward, term))
    return table


# Gymnasium 1.3's v4 _build_transitions with is_rainy: a move that changes
# the taxi's cell goes ahead with p, else to its left or right (relative to
# the heading) with (1 - p) / 2 each, a sideways move stopped by the walls as
# any move is; a blocked move stays put in all three outcomes.
def taxi_move(row, col, a):
    if a == 0:
        return min(row + 1, 4), col
    if a == 1:
        return max(row - 1, 0), col
    if a == 2:
        return row, (col + 1 if TAXI_MAP[1 + row][2 * col + 2] == ":" else col)
    return row, (col - 1 if TAXI_MAP[1 + row][2 * col] == ":" else col)


TAXI_LEFT = {0: 2, 1: 3, 2: 1, 3: 0}   # south: east, north: west, ...
TAXI_RIGHT = {0: 3, 1: 2, 2: 0, 3: 1}  # south: west, north: east, ...


def taxi_rainy(p=0.8):
    table = taxi()
    for s in table:
        row = s // 100
        col = s // 20 % 5
        pas, dest = s // 4 % 5, s % 4
        for a in range(4):
            ahead = taxi_move(row, col, a)
            if ahead == (row, col):
                left = right = (row, col)
            else:
                left = taxi_move(row, col, TAXI_LEFT[a])
                right = taxi_move(row, col, TAXI_RIGHT[a])
            table[s][a] = [(prob, taxi_encode(*cell, pas, dest), -1, False)
                           for prob, cell in [(p, ahead), ((1 - p) / 2, left),
                                              ((1 - p) / 2, right)]]
    return table


def run(table, s, actions):
    out = []
    for a in actions:
        _, s, r, t = table[s][a][0]
        out.append((s, r, t))
        if t:
            break
    return out


print("== frozen_lake_test.cc")
print("dry path:", run(frozen_lake("4x4", False), 0, [1, 1, 2, 2, 1, 2]))
print("== cliff_walking_test.cc")
print("safe path:", run(cliff_walking(False), 36, [2, 1, 0] + [1] * 11 + [2]))
print("== taxi_test.cc")
print("ride:", run(taxi(), taxi_encode(2, 2, 1, 2), [1, 1, 2, 2, 4, 0, 0, 3, 3, 3, 3, 0, 0, 5]))

TABLES = {
    "frozen_lake_4x4_slippery.txt":
        (frozen_lake("4x4", True), "FrozenLake-v1, map_name=4x4, is_slippery=True"),
    "frozen_lake_4x4_dry.txt":
        (frozen_lake("4x4", False), "FrozenLake-v1, map_name=4x4, is_slippery=False"),
    "frozen_lake_8x8_slippery.txt":
        (frozen_lake("8x8", True), "FrozenLake8x8-v1, map_name=8x8, is_slippery=True"),
    "cliff_walking.txt": (cliff_walking(False), "CliffWalking-v1"),
    "cliff_walking_slippery.txt":
        (cliff_walking(True), "CliffWalking-v1, is_slippery=True"),
    "taxi.txt": (taxi(), "Taxi-v4"),
    "taxi_rainy.txt": (taxi_rainy(), "Taxi-v4, is_rainy=True, rainy_probability=0.8"),
}
if "--write_tables" in sys.argv[1:]:
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                           "toy_text", "testdata")
    os.makedirs(out_dir, exist_ok=True)
    for name, (table, title) in TABLES.items():
        with open(os.path.join(out_dir, name), "w") as f:
            f.write(table_text(table, title))
    print("tables written to", os.path.normpath(out_dir))
else:
    print("tables: --write_tables rewrites rl/envs/toy_text/testdata/*.txt")
