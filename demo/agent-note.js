// Says which Bob this page talks to (GET /demo/agent.json) and how to connect a real ElevenLabs agent.
const note = document.getElementById('agent-note');
const TEXT = {
  local:
    'You are talking to the local Bob: a rule-based stand-in running in this server (no ElevenLabs account, no network). Type below, e.g. "2 pounds from 10001 to 94105", then "option 2" and "yes". To use a real ElevenLabs agent, start the server with ELEVENLABS_API_KEY and ELEVENLABS_AGENT_ID set (npm run agent:sync creates the tools).',
  elevenlabs: 'Bob is your ElevenLabs agent (ELEVENLABS_AGENT_ID). Talk or type to him.',
  none: 'No voice agent is connected: set ELEVENLABS_API_KEY and ELEVENLABS_AGENT_ID, or LOCAL_BOB=true for the local Bob.',
};
fetch('/demo/agent.json', { cache: 'no-store' })
  .then((res) => (res.ok ? res.json() : null))
  .then((agent) => {
    if (note && agent && TEXT[agent.bob]) {
      note.textContent = TEXT[agent.bob];
      note.dataset.bob = agent.bob;
      note.hidden = false;
    }
  })
  .catch(() => undefined);
