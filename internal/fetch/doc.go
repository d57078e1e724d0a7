// Package fetch is pressreview's polite HTTP client for feeds and article
// pages.
//
// One Fetcher serves the whole process. Per host it bounds concurrent
// requests, spaces their starts (Config.HostDelay, raised by a robots.txt
// Crawl-delay), and slows down after 429 or 503 answers: the delay doubles
// up to Config.MaxHostDelay and Retry-After (seconds or HTTP-date) is
// honoured. A caller with other hosts' pages to fetch sets Request.NoWait:
// instead of waiting for a busy host's turn, Fetch returns ErrHostBusy
// with the time to wait, and the caller fetches another host's page
// meanwhile (HostKey names the host a URL counts against). robots.txt is
// fetched once per host and cached; a disallowed URL is never requested.
// Requests carry the caller's ETag and Last-Modified so unchanged feeds
// cost a 304.
//
// A feed is untrusted input, so the fetcher connects only to public
// addresses: loopback, private, link-local, unique-local and other
// special-purpose addresses are refused (ErrForbiddenAddress) unless
// Config.Allow lists them. The check runs in the dialer, on the address a
// name resolved to, for every hop of a redirect chain, so neither a
// redirect nor a DNS answer that changes between lookups leads around it.
//
// Responses keep what the rest of the pipeline needs: the decompressed body
// and its SHA-256, the body converted to UTF-8 (see DecodeText for the
// charset rules, including windows-1256 and wrong declarations), caching
// headers, and the raw request and response bytes for WARC archiving, of
// the final answer and of each redirect hop before it (Response.Hops).
//
// Failures are *Error values with a Kind (Temporary, Soft, Hard) that the
// job queue uses to choose a back-off; Classify works on any error.
package fetch
