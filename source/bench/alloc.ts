/**
 * Bytes allocated on the V8 heap while a job runs: the heap growth plus what every collection in
 * between freed (v8.GCProfiler reports the heap before and after each one). Load-independent,
 * unlike a time; includes the bench's own small allocations.
 */
import v8 from 'node:v8';

export interface Allocation {
	bytes: number;
	/** collections in the window, and of those the full (mark-compact) ones */
	gcs: number;
	markCompacts: number;
}

export async function allocated(job: () => Promise<void>): Promise<Allocation> {
	const profiler = new v8.GCProfiler();
	const before = v8.getHeapStatistics().used_heap_size;
	profiler.start();
	await job();
	const after = v8.getHeapStatistics().used_heap_size;
	const stats = profiler.stop()?.statistics ?? [];
	let freed = 0;
	let markCompacts = 0;
	for (const s of stats) {
		freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
		if (s.gcType === 'MarkSweepCompact') markCompacts++;
	}

	return {bytes: after - before + freed, gcs: stats.length, markCompacts};
}
