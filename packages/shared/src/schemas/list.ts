import { z } from "@hono/zod-openapi";

export const ListParamsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10).openapi({ description: "Page size, 1–100.", example: 10 }),
  starting_after: z
    .string()
    .optional()
    .openapi({ description: "Cursor: the id of the last object on the previous page." }),
});

export function listSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal("list"),
      data: z.array(item),
      has_more: z.boolean(),
    })
    .openapi(name, {
      description: "A page of objects, newest first. Lists are projected and may lag writes by milliseconds.",
    });
}

export type ListParams = z.input<typeof ListParamsSchema>;
export interface List<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}
