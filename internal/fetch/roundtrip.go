package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"
)

// roundTrip sends one GET and reads the whole answer, keeping the bytes
// needed for WARC archiving.
func (f *Fetcher) roundTrip(ctx context.Context, u *url.URL, req Request, robotsFetch bool) (*Response, error) {
	var remoteIP string
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if addr := info.Conn.RemoteAddr(); addr != nil {
			remoteIP = hostOnly(addr.String())
		}
	}}
	httpReq, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	accept := req.Accept
	if accept == "" {
		accept = "*/*"
	}
	httpReq.Header.Set("User-Agent", f.cfg.UserAgent)
	httpReq.Header.Set("Accept", accept)
	httpReq.Header.Set("Accept-Encoding", "gzip, deflate")
	if req.ETag != "" {
		httpReq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		httpReq.Header.Set("If-Modified-Since", req.LastModified)
	}
	var rawReq bytes.Buffer
	if err := httpReq.Write(&rawReq); err != nil {
		return nil, err
	}

	httpResp, err := f.client.Do(httpReq)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // its message repeats the method and URL
		}
		return nil, err
	}
	defer httpResp.Body.Close()

	limit := f.cfg.MaxBodyBytes
	if robotsFetch {
		limit = maxRobotsBytes
	}
	raw, tooLarge, err := readLimited(httpResp.Body, limit, httpResp.ContentLength)
	if err != nil {
		return nil, err
	}
	if tooLarge && !robotsFetch {
		return nil, fmt.Errorf("%w (over %d bytes)", ErrTooLarge, limit)
	}
	body, tooLarge, err := decodeContent(raw, httpResp.Header.Get("Content-Encoding"), limit)
	if err != nil {
		return nil, err
	}
	if tooLarge && !robotsFetch {
		return nil, fmt.Errorf("%w (over %d bytes once decompressed)", ErrTooLarge, limit)
	}

	now := time.Now()
	var rawHeader bytes.Buffer
	fmt.Fprintf(&rawHeader, "HTTP/%d.%d %s\r\n", httpResp.ProtoMajor, httpResp.ProtoMinor, httpResp.Status)
	httpResp.Header.Write(&rawHeader)
	rawHeader.WriteString("\r\n")

	h := httpResp.Header
	return &Response{
		FinalURL:     u.String(),
		Status:       httpResp.StatusCode,
		FetchedAt:    now,
		RemoteIP:     remoteIP,
		Header:       h,
		ContentType:  h.Get("Content-Type"),
		ETag:         h.Get("ETag"),
		LastModified: h.Get("Last-Modified"),
		MaxAge:       parseMaxAge(strings.Join(h.Values("Cache-Control"), ",")),
		Expires:      parseHTTPDate(h.Get("Expires")),
		RetryAfter:   parseRetryAfter(h.Get("Retry-After"), now),
		Body:         body,
		RawRequest:   rawReq.Bytes(),
		RawHeader:    rawHeader.Bytes(),
		RawBody:      raw,
	}, nil
}

// isTextual reports whether a body should be decoded to UTF-8 text. A
// missing or generic type is sniffed, because feeds are often served as
// application/octet-stream.
func isTextual(contentType string, body []byte) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" || mt == "application/octet-stream" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	return strings.HasPrefix(mt, "text/") ||
		strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml") ||
		strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json")
}

func hostOnly(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}
