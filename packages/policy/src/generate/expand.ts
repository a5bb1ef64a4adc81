/** Expand `{app}` and `{env}` in a requirement string. */
export function expand(template: string, app: string, env: string): string {
  return template.replaceAll('{app}', app).replaceAll('{env}', env);
}

/** True when the template names the environment, so each environment gets its own object. */
export function mentionsEnv(template: string): boolean {
  return template.includes('{env}');
}
