// The recording side's file helpers are rl/core's (WriteFileAtomically,
// RenameFile, ...): one implementation, safe against planted links.
#ifndef RL_RECORD_FILE_UTIL_H_
#define RL_RECORD_FILE_UTIL_H_

#include "rl/core/file_util.h"

#endif  // RL_RECORD_FILE_UTIL_H_
