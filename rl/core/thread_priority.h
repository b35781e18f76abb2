// Background threads: the work that serves the user's eyes (rendering and
// encoding videos, evaluation episodes) runs at a lower CPU priority than
// the learner, so on a machine whose cores are all busy the scheduler gives
// the learner its core and the recording the rest, instead of sharing
// evenly and slowing training down. Nothing waits longer for it in the end
// (all of it is still done); it only yields while the learner wants a core.
//
// Linux schedules threads, and a nice value is a thread's: a thread started
// from a background thread is background too (an encoder's own worker
// threads, made when the encoder opens, inherit it).
//
// Example (first thing in a thread's function):
//   MakeThisThreadBackground();
#ifndef RL_CORE_THREAD_PRIORITY_H_
#define RL_CORE_THREAD_PRIORITY_H_

namespace rl {

// How much nicer than the learner background threads are: at 10 a busy
// background thread gets about a tenth of the CPU time of a busy thread at
// the learner's priority, where both want the same core.
inline constexpr int kBackgroundNice = 10;

// Lowers the calling thread's priority to kBackgroundNice below the main
// thread's (never raises it: calling it again, or in a thread started by a
// background thread, does nothing). Best effort: a kernel
// that refuses leaves the priority as it was, which costs speed, not
// results.
void MakeThisThreadBackground();

// The calling thread's nice value (for tests).
int ThisThreadNice();

}  // namespace rl

#endif  // RL_CORE_THREAD_PRIORITY_H_
