// Package newsletter holds pressreview's mailing lists: subscribers and
// their consent, campaigns, and the delivery ledger that sends each campaign.
//
// # Delivery guarantee
//
// Every campaign has one delivery row per (campaign, subscriber) under a
// unique key, created when the campaign starts. A row moves only forward —
// queued → sending → sent | failed | bounced — and a database trigger
// refuses any other move (the one exception is the operator's "retry
// failed", which moves failed → queued and counts a new round). Senders
// claim a few rows at a time under a lease, leaving them queued; the job
// queue only wakes senders up, the rows themselves are the work list. A
// sender moves a row to sending in its own statement once the relay has
// taken the recipient and right before DATA, and to sent in its own
// statement right after the relay's 250. A campaign is finished only when
// no row is queued or sending.
//
// What that buys:
//
//   - No subscriber is skipped. A sender that dies (SIGKILL, power loss)
//     leaves its claimed rows queued or sending; when their lease lapses
//     any other sender, or the same one restarted, claims them again.
//   - No subscriber gets a campaign twice, except in the one case SMTP
//     cannot rule out: the relay accepted a message but the sender died (or
//     the connection broke) before recording that. Only a row in sending
//     can be in that case, and a connection carries one transaction at a
//     time, so after a crash at most one message per SMTP connection —
//     Concurrency per process — can repeat (kill_test.go asserts it). Every
//     repeat carries the same Message-ID as the first copy (Message-IDs are
//     derived from the campaign and subscriber), so receiving systems can
//     drop it. The price is two small writes per message instead of one
//     per batch.
//   - Two senders at once share the rows without overlap: a claim is one
//     UPDATE that only takes rows still queued (or whose lease lapsed).
//
// # Transactional notices
//
// Service.Notify sends one message to one address for other parts of the
// site (event registrations, saved-search digests). It has no ledger row:
// the message lives in a River job that is unique by a hash of address,
// subject and bodies, so a repeated request queues it once. The same SMTP
// caveat holds — a process killed between the relay's acceptance and the
// job's completion sends it again once River rescues the job (see
// RescueStuckJobsAfter) — and the copy carries the same Message-ID.
//
// # Unsubscribing by mail
//
// The mailto: address in List-Unsubscribe needs an inbound mail server to
// act on, and pressreview runs none: those requests reach whoever reads
// that mailbox (Config.UnsubscribeMailbox) and are applied by hand with
// `pressreview subscribers unsubscribe EMAIL`. The HTTPS one-click link
// is the one processed automatically.
package newsletter
