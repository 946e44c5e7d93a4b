import * as z from 'zod';

/**
 * The part of the Converse request body the emulator reads. Loose objects: the real API accepts many
 * more block kinds and fields (images, documents, guardrails, additionalModelRequestFields …), and the
 * emulator should not reject a request that real Bedrock would take only because it ignores them.
 */
const CachePoint = z.looseObject({ type: z.literal('default'), ttl: z.enum(['5m', '1h']).optional() });

const ContentBlock = z.looseObject({
  text: z.string().optional(),
  cachePoint: CachePoint.optional(),
});

const Message = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.array(ContentBlock).min(1),
});

const ToolSpec = z.looseObject({
  name: z.string().min(1).max(64),
  description: z.string().optional(),
  inputSchema: z.looseObject({ json: z.unknown() }),
});

const Tool = z.looseObject({ toolSpec: ToolSpec.optional(), cachePoint: CachePoint.optional() });

const ToolChoice = z.looseObject({
  auto: z.looseObject({}).optional(),
  any: z.looseObject({}).optional(),
  tool: z.looseObject({ name: z.string().min(1) }).optional(),
});

export const ConverseRequest = z
  .looseObject({
    messages: z.array(Message).min(1),
    system: z.array(ContentBlock).optional(),
    inferenceConfig: z
      .looseObject({
        maxTokens: z.number().int().positive().optional(),
        temperature: z.number().min(0).max(1).optional(),
      })
      .optional(),
    toolConfig: z.looseObject({ tools: z.array(Tool).min(1), toolChoice: ToolChoice.optional() }).optional(),
  })
  .superRefine((request, ctx) => {
    if (request.messages[0]?.role !== 'user') {
      ctx.addIssue({
        code: 'custom',
        path: ['messages', 0, 'role'],
        message: 'A conversation must start with a user message.',
      });
    }
    const forced = request.toolConfig?.toolChoice?.tool?.name;
    const names = (request.toolConfig?.tools ?? []).flatMap((tool) =>
      tool.toolSpec ? [tool.toolSpec.name] : [],
    );
    if (forced !== undefined && !names.includes(forced)) {
      ctx.addIssue({
        code: 'custom',
        path: ['toolConfig', 'toolChoice', 'tool', 'name'],
        message: `The tool ${forced} is not among the tools in toolConfig.tools.`,
      });
    }
  });
export type ConverseRequest = z.infer<typeof ConverseRequest>;

type Block = z.infer<typeof ContentBlock>;

/** The text blocks of the system prompt and the messages, in order, with the cache points between. */
export function promptBlocks(request: ConverseRequest): readonly Block[] {
  return [...(request.system ?? []), ...request.messages.flatMap((message) => message.content)];
}

/** Everything the user said, as one string (where the judge reads its sections from). */
export function userText(request: ConverseRequest): string {
  return request.messages
    .filter((message) => message.role === 'user')
    .flatMap((message) => message.content.flatMap((block) => (block.text === undefined ? [] : [block.text])))
    .join('\n');
}

export interface RequestedTool {
  readonly name: string;
  readonly inputSchema: unknown;
}

/**
 * The tool the reply should call: the forced one (`toolChoice.tool`), else the first tool given.
 * Undefined without a toolConfig: then the reply is text.
 */
export function requestedTool(request: ConverseRequest): RequestedTool | undefined {
  const specs = (request.toolConfig?.tools ?? []).flatMap((tool) => (tool.toolSpec ? [tool.toolSpec] : []));
  const forced = request.toolConfig?.toolChoice?.tool?.name;
  const spec = forced === undefined ? specs[0] : specs.find((s) => s.name === forced);
  return spec ? { name: spec.name, inputSchema: spec.inputSchema.json } : undefined;
}
