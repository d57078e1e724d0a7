package posts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

func saveTalk(t *testing.T, db *store.DB, capacity int) posts.Event {
	t.Helper()
	start := now.Add(48 * time.Hour)
	e := posts.Event{Slug: "talk", Title: "What Next?", StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "UTC",
		Place: "Hall", Capacity: capacity, Status: "published", PublishAt: at(-time.Hour)}
	if err := posts.SaveEvent(context.Background(), db, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestUnconfirmedRegistrationsHoldNoSeat: made-up registrations filled a
// capacity-3 event. Now only a confirmed registration holds a seat, and an
// unconfirmed one expires.
func TestUnconfirmedRegistrationsHoldNoSeat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		saveTalk(t, db, 3)
		var regs []posts.Registration
		for _, who := range []string{"a", "b", "c", "d", "e", "f"} {
			r, fresh, err := posts.RequestRegistration(ctx, db, "talk", "Reader "+who, who+"@x.example", now)
			if err != nil || !fresh {
				t.Fatalf("request %s: %v %v", who, fresh, err)
			}
			regs = append(regs, r)
		}
		if e, _ := posts.EventBySlug(ctx, db, "talk"); e.Registered != 0 || e.SeatsLeft() != 3 {
			t.Fatalf("six unconfirmed requests took %d seats", e.Registered)
		}
		// Asking again within the day is not fresh: no second mail.
		if _, fresh, err := posts.RequestRegistration(ctx, db, "talk", "Reader a", "A@x.example", now.Add(time.Hour)); fresh || err != nil {
			t.Errorf("a repeated request: fresh %v, %v", fresh, err)
		}
		for _, r := range regs[:3] {
			if _, booked, err := posts.ConfirmRegistration(ctx, db, "talk", r.ID, now.Add(time.Minute)); !booked || err != nil {
				t.Fatalf("confirm %s: %v %v", r.Email, booked, err)
			}
		}
		if _, booked, err := posts.ConfirmRegistration(ctx, db, "talk", regs[0].ID, now.Add(time.Minute)); booked || err != nil {
			t.Errorf("confirming twice: %v %v", booked, err)
		}
		if _, _, err := posts.ConfirmRegistration(ctx, db, "talk", regs[3].ID, now.Add(time.Minute)); !errors.Is(err, posts.ErrEventFull) {
			t.Errorf("a fourth confirmation: %v", err)
		}
		if _, _, err := posts.RequestRegistration(ctx, db, "talk", "Late", "late@x.example", now); !errors.Is(err, posts.ErrEventFull) {
			t.Errorf("a request for a full event: %v", err)
		}
		// A day later the unconfirmed ones have expired.
		later := now.Add(posts.RegistrationTTL + time.Minute)
		if _, _, err := posts.ConfirmRegistration(ctx, db, "talk", regs[4].ID, later); !errors.Is(err, posts.ErrRegistrationExpired) {
			t.Errorf("a confirmation after a day: %v", err)
		}
		saveTalk(t, db, 4)
		if _, fresh, err := posts.RequestRegistration(ctx, db, "talk", "Reader e", "e@x.example", later); !fresh || err != nil {
			t.Errorf("a new request after expiry: %v %v", fresh, err)
		}
		if _, _, err := posts.ConfirmRegistration(ctx, db, "talk", regs[5].ID, later); !errors.Is(err, posts.ErrRegistrationExpired) {
			t.Errorf("an expired registration was confirmed: %v", err)
		}
	})
}

func TestRegistrantIsValidated(t *testing.T) {
	for _, c := range []struct{ name, email, field string }{
		{strings.Repeat("n", 50_000), "a@x.example", "name"},
		{"Dear friend,\r\nBuy now", "a@x.example", "name"},
		{"\u200c\u200c", "a@x.example", "name"},
		{"Reader", strings.Repeat("a", 250) + "@x.example", "email"},
		{"Reader", strings.Repeat("a", 65) + "@x.example", "email"},
		{"Reader", "Spam <a@x.example>", "email"},
		{"Reader", "a@x.example\r\nBcc: b@x.example", "email"},
	} {
		if _, _, err := posts.CheckRegistrant(c.name, c.email); field(err) != c.field {
			t.Errorf("CheckRegistrant(%.40q, %.40q) = %v, want an error on %s", c.name, c.email, err, c.field)
		}
	}
	if n, e, err := posts.CheckRegistrant(" Shirin Reader ", " Shirin@Reader.example "); n != "Shirin Reader" || e != "shirin@reader.example" || err != nil {
		t.Errorf("CheckRegistrant = %q %q %v", n, e, err)
	}
}

// TestRescheduleRaisesSequence: the .ics SEQUENCE and LAST-MODIFIED come
// from here. A change of time or place raises the sequence; saving the
// same event again does not, nor does a registration.
func TestRescheduleRaisesSequence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		e := saveTalk(t, db, 0)
		seq := func() int {
			t.Helper()
			p, err := posts.EventBySlug(ctx, db, "talk")
			if err != nil {
				t.Fatal(err)
			}
			if p.UpdatedAt.IsZero() {
				t.Error("no updated_at")
			}
			return p.Sequence
		}
		if s := seq(); s != 0 {
			t.Fatalf("a new event has sequence %d", s)
		}
		for _, step := range []struct {
			change func(*posts.Event)
			want   int
		}{
			{func(*posts.Event) {}, 0},
			{func(e *posts.Event) { e.Summary = "Now with a summary." }, 0},
			{func(e *posts.Event) { e.StartsAt, e.EndsAt = e.StartsAt.Add(time.Hour), e.EndsAt.Add(time.Hour) }, 1},
			{func(e *posts.Event) { e.Place = "Another hall" }, 2},
			{func(*posts.Event) {}, 2},
		} {
			step.change(&e)
			if err := posts.SaveEvent(ctx, db, &e); err != nil {
				t.Fatal(err)
			}
			if s := seq(); s != step.want {
				t.Errorf("sequence %d, want %d", s, step.want)
			}
		}
		if _, _, err := posts.RequestRegistration(ctx, db, "talk", "Reader", "r@x.example", now); err != nil {
			t.Fatal(err)
		}
		if s := seq(); s != 2 {
			t.Errorf("a registration moved the sequence to %d", s)
		}
	})
}

// TestClosedRegistration: an editor closes registration before the event
// starts; requests and confirmations are refused, the switch survives a
// save and a load, and opening it again takes registrations.
func TestClosedRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		e := saveTalk(t, db, 0)
		if got, _ := posts.EventBySlug(ctx, db, "talk"); got.RegistrationClosed {
			t.Fatal("a new event starts with registration closed")
		}
		pending, _, err := posts.RequestRegistration(ctx, db, "talk", "Reader", "reader@x.example", now)
		if err != nil {
			t.Fatal(err)
		}
		e.RegistrationClosed = true
		if err := posts.SaveEvent(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
		got, err := posts.EventBySlug(ctx, db, "talk")
		if err != nil || !got.RegistrationClosed {
			t.Fatalf("closed event loads with RegistrationClosed %v, %v", got.RegistrationClosed, err)
		}
		if _, _, err := posts.RequestRegistration(ctx, db, "talk", "Late", "late@x.example", now); !errors.Is(err, posts.ErrRegistrationClosed) {
			t.Errorf("a request while closed: %v", err)
		}
		if _, _, err := posts.ConfirmRegistration(ctx, db, "talk", pending.ID, now.Add(time.Minute)); !errors.Is(err, posts.ErrRegistrationClosed) {
			t.Errorf("a confirmation while closed: %v", err)
		}
		e.RegistrationClosed = false
		if err := posts.SaveEvent(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
		if _, booked, err := posts.ConfirmRegistration(ctx, db, "talk", pending.ID, now.Add(time.Minute)); !booked || err != nil {
			t.Errorf("a confirmation once reopened: %v %v", booked, err)
		}
	})
}

// TestRegistrationOpenByDefault: events stored before the switch existed,
// or inserted without it, keep registration open (the column's default).
func TestRegistrationOpenByDefault(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := now.Add(48 * time.Hour)
		if _, err := db.ExecContext(ctx, `INSERT INTO events (slug, title, starts_at, ends_at, time_zone, status, publish_at)
			VALUES ('old-talk', 'Old talk', ?, ?, 'UTC', 'published', ?)`, start, start.Add(time.Hour), now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if e, err := posts.EventBySlug(ctx, db, "old-talk"); err != nil || e.RegistrationClosed {
			t.Fatalf("an event without the column's value: closed %v, %v", e.RegistrationClosed, err)
		}
		if _, fresh, err := posts.RequestRegistration(ctx, db, "old-talk", "Reader", "reader@x.example", now); !fresh || err != nil {
			t.Errorf("registering for it: %v %v", fresh, err)
		}
	})
}
