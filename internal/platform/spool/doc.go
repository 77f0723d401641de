// Package spool is the audit pipeline's durable, ordered log: append-only segment files of
// checksummed records.
//
// Segments are preallocated and memory-mapped (MAP_SHARED), so an append is a memory copy into
// the kernel's page cache: it costs no system call, and the record survives the death of the
// process (SIGKILL, OOM kill, panic) the moment Append returns, because the dirty pages belong
// to the kernel, not to the process. Surviving power loss or a kernel crash needs the pages on
// stable storage; a background syncer msyncs them every SyncInterval and SyncTo forces it up to
// a position (the writer does that before anything leaves the machine).
//
// One consumer reads records in order and checkpoints how far its sink has confirmed them.
// Segments behind the checkpoint are deleted. After a crash, Open scans the segments, stops a
// segment at the first record whose checksum fails (a torn tail), and hands the consumer the
// checkpoint and any batch that was in flight, so it can be replayed exactly as it was sent.
package spool
