import type { FastifyRequest } from 'fastify';
import { VigilError } from '../errors.ts';

/** Loki's rule for tenant ids: at most 150 of these characters. */
const tenantPattern = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;

export function tenantOf(request: FastifyRequest): string {
  const header = request.headers['x-scope-orgid'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return 'default';
  if (value.includes('|')) {
    throw new VigilError('VIGIL_ERR_TENANT_INVALID', 'X-Scope-OrgID: queries across several tenants (a|b) are not supported');
  }
  if (!tenantPattern.test(value) || value === '.' || value === '..') {
    throw new VigilError(
      'VIGIL_ERR_TENANT_INVALID',
      "X-Scope-OrgID: invalid tenant id; use at most 150 letters, digits and !-_.*'()",
    );
  }
  return value;
}
