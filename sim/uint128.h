#pragma once

// GCC/Clang's 128-bit integer, spelled so -Wpedantic accepts it; used for
// 64x64->128 multiplies (hash mixing, unbiased bounded random integers).
namespace sim {
__extension__ typedef unsigned __int128 Uint128;
}
