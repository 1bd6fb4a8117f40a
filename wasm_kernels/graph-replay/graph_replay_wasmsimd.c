/* CPU graph replay (pyodide_pkg/webtensor/backends/wasm/graphs.py): run a captured step's
 * kernel calls from one buffer, so a replay is one call from Python instead of one per kernel.
 *
 * A record is i32 words [function-table index, signature id, args...]. The signature id
 * indexes kernel_table.graph_signatures(); the generated wt_graph_sigs.h turns each into a
 * switch case that casts the index to that function type (call_indirect checks the type) and
 * passes the arguments as i32 or f32. Python builds the buffer from calls it has checked
 * against the kernel table; an unknown signature id stops the replay before that record. */
#include <stdint.h>

#include "wt_common.h"
#include "wt_graph_sigs.h"

typedef union { int32_t i; float f; } wt_graph_arg;

/* Returns 0, or 1 + the index of the first record with an unknown signature id. */
WT_EXPORT int32_t WT_SYM(graph_replay)(const wt_graph_arg *a, uint32_t ncalls) {
    for (uint32_t c = 0; c < ncalls; c++) {
        uintptr_t fn = (uint32_t)a[0].i;
        uint32_t sig = (uint32_t)a[1].i;
        a += 2;
        switch (sig) {
            WT_GRAPH_CASES
            default: return (int32_t)c + 1;
        }
    }
    return 0;
}
