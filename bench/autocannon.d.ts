declare module "autocannon" {
  const autocannon: (opts: Record<string, unknown>) => Promise<{ errors?: number; timeouts?: number }> & {
    on(event: "response", cb: (client: unknown, status: number, bytes: number, time: number) => void): void;
  };
  export default autocannon;
}
