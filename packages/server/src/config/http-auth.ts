/**
 * `basic_auth` and `authorization` of Prometheus' common HTTP client config,
 * shared by scrape configs (prometheus.yml) and receivers (alertmanager.yml).
 */
import { z } from 'zod';

export const basicAuthSchema = z
  .object({
    username: z.string().min(1),
    password: z.string().optional(),
    password_file: z.string().min(1).optional(),
  })
  .strict()
  .refine((b) => !(b.password !== undefined && b.password_file !== undefined), {
    error: 'at most one of password and password_file may be set',
    path: ['password_file'],
  });

export const authorizationSchema = z
  .object({
    type: z.string().min(1).default('Bearer'),
    credentials: z.string().optional(),
    credentials_file: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => !(a.credentials !== undefined && a.credentials_file !== undefined), {
    error: 'at most one of credentials and credentials_file may be set',
    path: ['credentials_file'],
  })
  .refine((a) => a.type.toLowerCase() !== 'basic', {
    error: 'authorization type cannot be "Basic"; use basic_auth',
    path: ['type'],
  });
