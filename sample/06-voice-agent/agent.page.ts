import { TOKEN_INTERVAL_MS } from './scripted-llm.js';

/**
 * The `/agent` page: ask a question, hear the scripted answer as it is generated (Web Audio,
 * each chunk scheduled after the previous one), read each segment as it is spoken, and Stop
 * (barge-in) to see what the agent would record as said. Plain HTML and a small script.
 * `window.agent` exposes the timings the browser test reads.
 */
export const AGENT_PAGE = /* HTML */ `<!doctype html>
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <title>nestjs-hamsa voice agent</title>
      <style>
        body {
          font:
            16px/1.5 system-ui,
            sans-serif;
          max-width: 44rem;
          margin: 2rem auto;
          padding: 0 1rem;
        }
        #captions p {
          margin: 0.25rem 0;
        }
        #report {
          color: #1a7f37;
        }
      </style>
    </head>
    <body>
      <h1>Voice agent</h1>
      <p>
        A scripted "LLM" answers (a token every ${TOKEN_INTERVAL_MS} ms);
        <code>speakText()</code> speaks it as it comes.
      </p>
      <form id="ask">
        <input id="question" value="ما هو رصيدي؟" size="40" />
        <button id="go">Ask</button>
        <button id="stop" type="button" disabled>Stop</button>
      </form>
      <div id="captions" dir="auto"></div>
      <p id="report" dir="auto"></p>
      <script>
        const agent = (window.agent = {
          id: undefined,
          firstAudioAt: undefined,
          silencedMs: undefined,
          playing: 0,
        });
        const FRAME_CAPTION = 1,
          FRAME_AUDIO = 2,
          RATE = 16000;
        let context,
          controller,
          nextTime = 0,
          sources = [],
          id;

        function play(bytes) {
          const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
          const buffer = context.createBuffer(1, samples.length, RATE);
          const channel = buffer.getChannelData(0);
          for (let i = 0; i < samples.length; i++) channel[i] = samples[i] / 32768;
          const source = context.createBufferSource();
          source.buffer = buffer;
          source.connect(context.destination);
          nextTime = Math.max(nextTime, context.currentTime);
          source.start(nextTime);
          nextTime += buffer.duration;
          agent.playing++;
          source.onended = () => {
            agent.playing--;
            sources = sources.filter((s) => s !== source);
          };
          sources.push(source);
        }

        function caption(text) {
          const at = Math.max(0, nextTime - context.currentTime) * 1000;
          setTimeout(() => {
            const p = document.createElement('p');
            p.textContent = text;
            document.getElementById('captions').append(p);
          }, at);
        }

        async function ask(question) {
          context ??= new AudioContext();
          await context.resume();
          id = agent.id = String(Date.now()) + Math.random().toString(16).slice(2);
          controller = new AbortController();
          document.getElementById('stop').disabled = false;
          const response = await fetch(
            '/agent/speech?q=' + encodeURIComponent(question) + '&id=' + id,
            { signal: controller.signal },
          );
          const reader = response.body.getReader();
          let pending = new Uint8Array(0);
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const joined = new Uint8Array(pending.length + value.length);
            joined.set(pending);
            joined.set(value, pending.length);
            let at = 0;
            while (joined.length - at >= 5) {
              const view = new DataView(joined.buffer, at);
              const type = view.getUint8(0),
                length = view.getUint32(1, true);
              if (joined.length - at - 5 < length) break;
              const payload = joined.slice(at + 5, at + 5 + length);
              at += 5 + length;
              if (type === FRAME_CAPTION) caption(new TextDecoder().decode(payload));
              else if (type === FRAME_AUDIO) {
                agent.firstAudioAt ??= Date.now();
                play(payload);
              }
            }
            pending = joined.slice(at);
          }
        }

        async function stop() {
          const clickedAt = performance.now();
          controller?.abort();
          for (const source of sources) source.stop();
          await context.suspend();
          agent.silencedMs = performance.now() - clickedAt;
          document.getElementById('stop').disabled = true;
          const report = await (await fetch('/agent/report/' + id)).json();
          agent.report = report;
          document.getElementById('report').textContent = 'Spoken: ' + report.spokenText;
        }

        document.getElementById('ask').onsubmit = (event) => {
          event.preventDefault();
          ask(document.getElementById('question').value).catch(() => undefined);
        };
        document.getElementById('stop').onclick = () => void stop();
      </script>
    </body>
  </html>`;
