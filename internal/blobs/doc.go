// Package blobs stores pressreview's large immutable files (the WARC
// evidence) in one of two backends behind Bucket: a local directory (FS,
// the embedded desk's default, where files stay where they always were)
// or an S3-compatible bucket (S3), chosen by PRESSREVIEW_BLOBS (OpenBucket).
//
// A Store is one instance's view of the storage. With a directory, files
// are written in place and read in place. With object storage a file is
// written to a local spool first (Dir, Opened, Closed), uploaded by a
// background loop once its writer has closed it, marked 'uploaded' in the
// blob_files table, and only then removed from the spool. Until then the
// table names the instance that holds it and that instance's address, and
// ReadRange on any instance fetches the bytes from the holder (Handler,
// mounted at SpoolPath on the address given as Options.Address). Every
// read is a ranged read: one WARC record is one request.
//
// Nothing is lost to a crash or an outage. The loop uploads whatever
// closed files the spool holds (after a restart, everything in it), and
// retries failures with a doubling backoff (Options.RetryMin..RetryMax);
// writing never waits for the store.
//
// For operators (internal/ops, /readyz and metrics):
//
//	(*Store).Ready(ctx) error  nil, or why the store is not ready: the bucket
//	                           does not answer, or uploads are failing; the
//	                           message says how many files wait in the spool
//	                           and for how long.
//	(*Store).Stats() Stats     Spooled, SpooledBytes, Waiting, UploadLag (the
//	                           oldest closed, un-uploaded file's wait: "blob
//	                           upload lag"), Uploaded, UploadedBytes,
//	                           UploadFailures (counters since start), LastError.
//	(*Store).Handler()         serves this instance's spool to the others
//	                           (authenticated by Options.PeerKey); mount it at
//	                           SpoolPath and give that listener's base URL as
//	                           PRESSREVIEW_INSTANCE_URL.
//	(*Store).Close(ctx)        stops the loop after one last upload attempt.
package blobs
