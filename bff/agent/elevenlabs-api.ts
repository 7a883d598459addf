/**
 * The few ElevenLabs REST calls the BFF makes (xi-api-key auth): mint conversation credentials,
 * and create or update tools, the tool secret and Bob's prompt. Base URL configurable
 * (ELEVENLABS_BASE_URL), so tests point it at a local stand-in.
 */
export class ElevenLabsError extends Error {
  override name = 'ElevenLabsError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ToolRecord {
  id: string;
  tool_config: { name: string; type?: string };
}

export interface SecretRecord {
  secret_id: string;
  name: string;
}

/** The parts of an agent agent:sync reads and merges (everything else is left as it is). */
export interface AgentRecord {
  conversation_config?: {
    agent?: { prompt?: { prompt?: string; tool_ids?: string[] } };
    conversation?: { client_events?: string[] };
  };
}

/** Pages of list endpoints are followed up to this many (a runaway cursor stops instead of looping). */
const MAX_PAGES = 100;

export class ElevenLabsApi {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** A signed WebSocket URL for one conversation (use within 15 minutes). */
  async signedUrl(agentId: string): Promise<string> {
    const json = await this.call<{ signed_url?: unknown }>('GET', `/v1/convai/conversation/get-signed-url?agent_id=${encodeURIComponent(agentId)}`);
    if (typeof json.signed_url !== 'string') throw new ElevenLabsError(502, 'ElevenLabs answered without a signed_url');
    return json.signed_url;
  }

  /** A WebRTC conversation token. */
  async conversationToken(agentId: string): Promise<string> {
    const json = await this.call<{ token?: unknown }>('GET', `/v1/convai/conversation/token?agent_id=${encodeURIComponent(agentId)}`);
    if (typeof json.token !== 'string') throw new ElevenLabsError(502, 'ElevenLabs answered without a token');
    return json.token;
  }

  /** Every tool of the workspace: the list pages (has_more, next_cursor; 30 a page by default). */
  async listTools(): Promise<ToolRecord[]> {
    const tools: ToolRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = `page_size=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const json = await this.call<{ tools?: ToolRecord[]; has_more?: boolean; next_cursor?: string | null }>('GET', `/v1/convai/tools?${query}`);
      tools.push(...(json.tools ?? []));
      if (!json.has_more || !json.next_cursor || json.next_cursor === cursor) return tools;
      cursor = json.next_cursor;
    }
    throw new ElevenLabsError(502, `ElevenLabs tool list did not end after ${MAX_PAGES} pages`);
  }

  async listSecrets(): Promise<SecretRecord[]> {
    const json = await this.call<{ secrets?: SecretRecord[] }>('GET', '/v1/convai/secrets');
    return json.secrets ?? [];
  }

  async updateSecret(id: string, name: string, value: string): Promise<void> {
    await this.call('PATCH', `/v1/convai/secrets/${encodeURIComponent(id)}`, { type: 'update', name, value });
  }

  async getAgent(agentId: string): Promise<AgentRecord> {
    return this.call<AgentRecord>('GET', `/v1/convai/agents/${encodeURIComponent(agentId)}`);
  }

  async createTool(toolConfig: object): Promise<string> {
    return (await this.call<{ id: string }>('POST', '/v1/convai/tools', { tool_config: toolConfig })).id;
  }

  async updateTool(id: string, toolConfig: object): Promise<void> {
    await this.call('PATCH', `/v1/convai/tools/${encodeURIComponent(id)}`, { tool_config: toolConfig });
  }

  async createSecret(name: string, value: string): Promise<string> {
    return (await this.call<{ secret_id: string }>('POST', '/v1/convai/secrets', { type: 'new', name, value })).secret_id;
  }

  async updateAgent(agentId: string, o: { prompt: string; toolIds: string[]; clientEvents: string[] }): Promise<void> {
    await this.call('PATCH', `/v1/convai/agents/${encodeURIComponent(agentId)}`, {
      conversation_config: { agent: { prompt: { prompt: o.prompt, tool_ids: o.toolIds } }, conversation: { client_events: o.clientEvents } },
    });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { 'xi-api-key': this.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const json = (await res.json().catch(() => ({}))) as T & { detail?: unknown };
    if (!res.ok) throw new ElevenLabsError(res.status, `ElevenLabs ${method} ${path.split('?')[0]} → ${res.status}`);
    return json;
  }
}
