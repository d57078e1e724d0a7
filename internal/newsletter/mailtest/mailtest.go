// Package mailtest runs a real SMTP server (go-smtp) on 127.0.0.1 for the
// newsletter's tests and benchmark: it keeps every message it accepts, or
// only counts them, and can be told to refuse recipients with 4xx or 5xx
// replies or to stall.
package mailtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From   string
	To     []string
	Data   []byte
	Header mail.Header
}

// MessageID is the message's Message-ID header.
func (m Message) MessageID() string { return m.Header.Get("Message-Id") }

// Parts decodes the text/plain and text/html parts of a multipart/alternative
// message.
func (m Message) Parts() (text, html string, err error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return "", "", err
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return "", "", err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return "", "", fmt.Errorf("content type %s: want multipart/alternative", mt)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			return text, html, nil
		}
		if err != nil {
			return "", "", err
		}
		var body io.Reader = p
		switch strings.ToLower(p.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			body = quotedprintable.NewReader(p)
		case "base64":
			return "", "", errors.New("base64 parts are not decoded here")
		}
		b, err := io.ReadAll(body)
		if err != nil {
			return "", "", err
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int
	// Discard only counts messages, for benchmarks: memory stays flat.
	discard bool

	srv      *smtp.Server
	ln       net.Listener
	count    atomic.Int64
	mu       sync.Mutex
	msgs     []Message
	rcptHook func(rcpt string) error
	dataHook func() error
}

// Option changes a Server.
type Option func(*Server)

// Discard makes the server count messages without keeping them.
func Discard() Option { return func(s *Server) { s.discard = true } }

// Start listens on a free port of 127.0.0.1. Stop it with Close.
func Start(opts ...Option) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	for _, o := range opts {
		o(s)
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	// Killed senders reset connections on purpose; the log would only be noise.
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	s.srv.MaxMessageBytes = 10 << 20
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Addr is host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Count is how many messages were accepted.
func (s *Server) Count() int64 { return s.count.Load() }

// Messages returns a copy of the accepted messages, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// To returns the messages accepted for one recipient.
func (s *Server) To(rcpt string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		for _, t := range m.To {
			if strings.EqualFold(t, rcpt) {
				out = append(out, m)
			}
		}
	}
	return out
}

// Wait waits until at least n messages were accepted or the timeout passes.
func (s *Server) Wait(n int64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for s.Count() < n {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// OnRcpt sets a function that may refuse a recipient: return an
// *smtp.SMTPError such as Reply(550, "no such user").
func (s *Server) OnRcpt(f func(rcpt string) error) {
	s.mu.Lock()
	s.rcptHook = f
	s.mu.Unlock()
}

// OnData sets a function run when a message's data arrives, before it is
// accepted; it may stall (to cause client timeouts) or refuse.
func (s *Server) OnData(f func() error) {
	s.mu.Lock()
	s.dataHook = f
	s.mu.Unlock()
}

// Reply builds an SMTP error reply: 4xx temporary, 5xx permanent.
func Reply(code int, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	hook := x.s.rcptHook
	x.s.mu.Unlock()
	if hook != nil {
		if err := hook(to); err != nil {
			return err
		}
	}
	x.to = append(x.to, to)
	return nil
}

// Data reads the whole message first: a message cut off by a dying client
// is never counted as accepted.
func (x *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if x.s.discard {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
	} else if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	x.s.mu.Lock()
	hook := x.s.dataHook
	x.s.mu.Unlock()
	if hook != nil {
		if err := hook(); err != nil {
			return err
		}
	}
	if x.s.discard {
		x.s.count.Add(1)
		return nil
	}
	m := Message{From: x.from, To: append([]string(nil), x.to...), Data: buf.Bytes()}
	if parsed, err := mail.ReadMessage(bytes.NewReader(m.Data)); err == nil {
		m.Header = parsed.Header
	}
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, m)
	x.s.mu.Unlock()
	x.s.count.Add(1)
	return nil
}
