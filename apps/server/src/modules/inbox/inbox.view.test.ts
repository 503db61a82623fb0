import { describe, expect, it } from 'vitest';
import { previewOf } from './inbox.view.js';

describe('previewOf', () => {
  it.each([
    [{ type: 'text', text: 'Hallo\n  zusammen' }, 'Hallo zusammen'],
    [{ type: 'media', mediaType: 'image', mediaId: '1', caption: 'Rötung' }, 'Rötung'],
    [{ type: 'media', mediaType: 'document', mediaId: '2', filename: 'Befund.pdf' }, 'Befund.pdf'],
    [{ type: 'media', mediaType: 'audio', mediaId: '3' }, '[audio]'],
    [{ type: 'template', name: 'appointment_reminder' }, '[appointment_reminder]'],
  ])('%o → %s', (content, line) => {
    expect(previewOf(content)).toBe(line);
  });
});
