/* support_bench.h: timing helpers for the benchmarks under tests/bench/. */
#ifndef GATE_SUPPORT_BENCH_H
#define GATE_SUPPORT_BENCH_H

#include <stddef.h>

/* A monotonic clock in milliseconds. */
double bench_now_ms(void);
/* The median of `n` values (sorts them in place). */
double bench_median(double *v, size_t n);
/* The value at fraction `q` (0 to 1) of the `n` values, by nearest rank (sorts them in place). */
double bench_quantile(double *v, size_t n, double q);

#endif
