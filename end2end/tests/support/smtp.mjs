// A small SMTP server on a local port that keeps what it receives: the mail server for the
// browser tests that run with SMTP configured.
import net from 'node:net';
import { EventEmitter } from 'node:events';

export async function startSmtpSink() {
  const messages = [];
  const arrivals = new EventEmitter();
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let data = null;
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 sink ESMTP ready');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === '.') {
            messages.push(data.join('\r\n'));
            arrivals.emit('message');
            data = null;
            reply('250 OK queued');
          } else {
            data.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        const command = line.toUpperCase();
        if (command.startsWith('EHLO') || command.startsWith('HELO')) reply('250-sink\r\n250 8BITMIME');
        else if (command === 'DATA') { data = []; reply('354 End data with <CR><LF>.<CR><LF>'); }
        else if (command === 'QUIT') { reply('221 Bye'); socket.end(); }
        else if (command.startsWith('MAIL') || command.startsWith('RCPT') || command === 'RSET' || command === 'NOOP') reply('250 OK');
        else reply('502 Not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    messages,
    /// The first message for which `matches` holds, once it has arrived (at most 20 s).
    waitFor(matches) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(matches);
          if (!found) return;
          clearTimeout(timer);
          arrivals.off('message', check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          arrivals.off('message', check);
          reject(new Error('no matching message within 20 s'));
        }, 20_000);
        arrivals.on('message', check);
        check();
      });
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/// A received message's text with quoted-printable encoding undone.
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
