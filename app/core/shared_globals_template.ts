import edge, { Template } from 'edge.js'
import { escapeHtml } from '#core/html_escape'

type Edge = typeof edge
type Compiler = Edge['compiler']
type Processor = Edge['processor']
type State = Record<string, unknown>
type CompiledTemplate = ReturnType<Compiler['compile']>

const NO_STATE: State = Object.freeze({}) as State

/**
 * Edge's Template spreads every global (Edge's and Adonis's helpers, ~35 of them) and every
 * request local into a new object for the page, and again for each component the page renders:
 * about 10 KB a copy, 3 % of the month page's CPU in `getComponentState` alone. Here a page's or a
 * component's state copies only the request's locals and the props, and inherits the globals
 * from Edge's one globals object. Every state has that same prototype, so the compiled
 * templates' property look-ups keep seeing one shape (a prototype made per render, tried
 * before, made them slower). Month page, A/B on one seeded database: 8–12 % less CPU a page.
 *
 * The rendering itself is Edge's (`#renderCompiled` is private there): the same trimming of the
 * output's first and last newline, the stacks' placeholders, then the output processors.
 * `{{ }}` prints the same as Edge's, escaped by #core/html_escape.
 */
export class SharedGlobalsTemplate extends Template {
  #compiler: Compiler
  #processor: Processor
  #globals: State
  #locals: State

  constructor(compiler: Compiler, globals: State, locals: State, processor: Processor) {
    // Edge's own copy of the shared state is then empty, and so are its spreads.
    super(compiler, NO_STATE, NO_STATE, processor)
    this.#compiler = compiler
    this.#processor = processor
    this.#globals = globals
    this.#locals = locals
  }

  /** Edge's escaping (he.escape), its output byte for byte; a safe value (`html.safe`, `{{{ }}}` helpers) goes to Edge. */
  escape(input: any): string {
    if (typeof input === 'string') return escapeHtml(input)
    if (typeof input === 'number') return String(input)
    return super.escape(input)
  }

  #state(own: State): State {
    return Object.assign(Object.create(this.#globals), this.#locals, own)
  }

  getComponentState(props: State, slots: State, caller: { filename: string; line: number; col: number }) {
    // Edge's gives the props, $slots, $caller and $props over its (empty) shared state.
    return this.#state(super.getComponentState(props, slots, caller)) as ReturnType<Template['getComponentState']>
  }

  render<T extends Promise<string> | string>(templatePath: string, state: State): T {
    return this.#renderCompiled(this.#compiler.compile(templatePath), state) as T
  }

  renderRaw<T extends Promise<string> | string>(contents: string, state: State, templatePath?: string): T {
    return this.#renderCompiled(this.#compiler.compileRaw(contents, templatePath), state) as T
  }

  #renderCompiled(compiled: CompiledTemplate, state: State): Promise<string> | string {
    const templateState = this.#state(state)
    const finish = (output: string) =>
      this.#processor.executeOutput({ output: this.stacks.fillPlaceholders(trimOuterNewlines(output)), template: this, state: templateState })
    const output = compiled(this, templateState, {})
    return this.#compiler.async ? (output as unknown as Promise<string>).then(finish) : finish(output)
  }
}

const LF = 10
const CR = 13

/**
 * One leading and one trailing newline (\n or \r\n) removed, as Edge does, by looking at both
 * ends: Edge's `/\n$|\r\n$/` tries every position of the output (the whole page, and each
 * component's), 1.8 % of the month page's CPU.
 */
export function trimOuterNewlines(value: string) {
  let start = 0
  if (value.charCodeAt(0) === LF) start = 1
  else if (value.charCodeAt(0) === CR && value.charCodeAt(1) === LF) start = 2
  let end = value.length
  if (end > start && value.charCodeAt(end - 1) === LF) end -= end - 2 >= start && value.charCodeAt(end - 2) === CR ? 2 : 1
  return start === 0 && end === value.length ? value : value.slice(start, end)
}
