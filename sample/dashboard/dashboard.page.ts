/**
 * The page `GET /` serves: the voices' states, live from `GET /voices/events`, and a form that
 * speaks Arabic text through `POST /tts`. Plain HTML and a small script; nothing to build.
 */
export const DASHBOARD_PAGE = /* HTML */ `<!doctype html>
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>nestjs-hamsa sample</title>
      <style>
        body {
          font:
            16px/1.5 system-ui,
            sans-serif;
          max-width: 44rem;
          margin: 2rem auto;
          padding: 0 1rem;
          color: #1f2328;
        }
        h1 {
          font-size: 1.5rem;
        }
        h2 {
          font-size: 1.15rem;
          margin-top: 2rem;
        }
        code,
        td:first-child {
          font-family: ui-monospace, monospace;
          font-size: 0.9em;
        }
        table {
          border-collapse: collapse;
          width: 100%;
        }
        th,
        td {
          text-align: left;
          padding: 0.35rem 0.5rem;
          border-bottom: 1px solid #d0d7de;
        }
        .pending,
        .loading {
          color: #9a6700;
        }
        .ready {
          color: #1a7f37;
        }
        .failed {
          color: #cf222e;
        }
        textarea {
          display: block;
          width: 100%;
          box-sizing: border-box;
          font-size: 1.25rem;
          padding: 0.5rem;
        }
        form p {
          display: flex;
          gap: 0.75rem;
          align-items: center;
        }
        select,
        button {
          font: inherit;
        }
        #error {
          color: #cf222e;
          white-space: pre-line;
        }
        #connection {
          color: #57606a;
          font-size: 0.9em;
        }
      </style>
    </head>
    <body>
      <h1>nestjs-hamsa sample</h1>
      <p>Voices preloaded at startup, updated live from <code>GET /voices/events</code>.</p>

      <h2>Voices</h2>
      <table>
        <thead>
          <tr>
            <th>Voice</th>
            <th>State</th>
            <th>Attempts</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody id="voices"></tbody>
      </table>
      <p id="connection"></p>

      <h2>Speak</h2>
      <form id="speak">
        <textarea id="text" dir="rtl" lang="ar" rows="3">مرحبا بك في همسة</textarea>
        <p>
          <label for="speaker">Voice</label>
          <select id="speaker"></select>
          <button type="submit">Speak</button>
        </p>
      </form>
      <p id="error" role="alert"></p>
      <audio id="audio" controls autoplay></audio>

      <script type="module">
        const $ = (selector) => document.querySelector(selector);
        const rows = new Map();

        /** Adds or updates the row (and the option) of one voice. */
        function show(status) {
          let row = rows.get(status.voiceId);
          if (!row) {
            row = $('#voices').insertRow();
            row.dataset.voiceId = status.voiceId;
            for (let i = 0; i < 4; i++) row.insertCell();
            rows.set(status.voiceId, row);
            $('#speaker').add(new Option(status.voiceId));
          }
          const [voice, state, attempts, note] = row.cells;
          voice.textContent = status.voiceId;
          state.textContent = status.state;
          state.className = status.state;
          attempts.textContent = status.attempts;
          note.textContent =
            status.state === 'ready' && status.durationMs !== undefined
              ? 'ready in ' + status.durationMs + ' ms'
              : (status.error?.message ?? '');
        }

        // One event per voice on connect, then one per transition. EventSource reconnects by itself.
        const events = new EventSource('/voices/events');
        events.onmessage = (event) => show(JSON.parse(event.data));
        events.onopen = () => ($('#connection').textContent = '');
        events.onerror = () =>
          ($('#connection').textContent = 'Disconnected from the server; reconnecting…');

        $('#speak').onsubmit = async (event) => {
          event.preventDefault();
          const button = $('#speak button');
          button.disabled = true;
          $('#error').textContent = '';
          try {
            const response = await fetch('/tts', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ text: $('#text').value, speaker: $('#speaker').value }),
            });
            if (!response.ok) {
              const body = await response.json().catch(() => ({}));
              // A ValidationPipe 400 lists one message per broken rule.
              const message = [body.message ?? response.statusText].flat().join('\\n');
              throw new Error(response.status + ' ' + message);
            }
            URL.revokeObjectURL($('#audio').src);
            $('#audio').src = URL.createObjectURL(await response.blob());
          } catch (error) {
            $('#error').textContent = error.message;
          } finally {
            button.disabled = false;
          }
        };
      </script>
    </body>
  </html> `;
