package loadkit

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Conn is one keep-alive HTTP/1.1 connection driven by one goroutine: requests are written as
// prepared bytes and responses parsed by net/http's reader, so the generator spends far less
// CPU per request than http.Client (it shares the cores with the servers it measures).
type Conn struct {
	addr string
	c    net.Conn
	br   *bufio.Reader
	req  []byte
	Body bytes.Buffer
}

// Dial opens a connection to addr.
func Dial(addr string) (*Conn, error) {
	c := &Conn{addr: addr}
	return c, c.redial()
}

func (c *Conn) redial() error {
	if c.c != nil {
		c.c.Close()
	}
	nc, err := net.DialTimeout("tcp", c.addr, 10*time.Second)
	if err != nil {
		c.c = nil
		return err
	}
	c.c = nc
	if c.br == nil {
		c.br = bufio.NewReaderSize(nc, 16<<10)
	} else {
		c.br.Reset(nc)
	}
	return nil
}

// Close closes the connection.
func (c *Conn) Close() {
	if c.c != nil {
		c.c.Close()
	}
}

// Request is one request to send.
type Request struct {
	Method, Path string
	Token        string // bearer token, if any
	ClientAddr   string // X-Forwarded-For, if any (the server must trust loopback as a proxy)
	Body         []byte // JSON body, if any
}

// Do sends r and reads the whole response into c.Body; it returns the status. A connection the
// server closed is reopened once.
func (c *Conn) Do(r Request) (int, error) {
	c.req = c.req[:0]
	c.req = append(c.req, r.Method...)
	c.req = append(c.req, ' ')
	c.req = append(c.req, r.Path...)
	c.req = append(c.req, " HTTP/1.1\r\nHost: "...)
	c.req = append(c.req, c.addr...)
	c.req = append(c.req, "\r\n"...)
	if r.Token != "" {
		c.req = append(c.req, "Authorization: Bearer "...)
		c.req = append(c.req, r.Token...)
		c.req = append(c.req, "\r\n"...)
	}
	if r.ClientAddr != "" {
		c.req = append(c.req, "X-Forwarded-For: "...)
		c.req = append(c.req, r.ClientAddr...)
		c.req = append(c.req, "\r\n"...)
	}
	if r.Body != nil {
		c.req = append(c.req, "Content-Type: application/json\r\nContent-Length: "...)
		c.req = strconv.AppendInt(c.req, int64(len(r.Body)), 10)
		c.req = append(c.req, "\r\n"...)
	}
	c.req = append(c.req, "\r\n"...)
	c.req = append(c.req, r.Body...)
	status, err := c.roundTrip()
	if err != nil {
		if rerr := c.redial(); rerr != nil {
			return 0, rerr
		}
		return c.roundTrip()
	}
	return status, nil
}

func (c *Conn) roundTrip() (int, error) {
	if c.c == nil {
		if err := c.redial(); err != nil {
			return 0, err
		}
	}
	if _, err := c.c.Write(c.req); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, err
	}
	c.Body.Reset()
	_, err = io.Copy(&c.Body, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, fmt.Errorf("read body: %w", err)
	}
	if resp.Close {
		c.c.Close()
		c.c = nil
	}
	return resp.StatusCode, nil
}
