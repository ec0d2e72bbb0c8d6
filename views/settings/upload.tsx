import { inputClass } from './parts.js';

/** A file input and a paste box; the form must be multipart/form-data for the file to travel. */
export function UploadFields({ fileLabel, accept, textLabel, placeholder, maxLabel }: { fileLabel: string; accept: string; textLabel: string; placeholder: string; maxLabel: string }) {
  return (
    <>
      <label class="block text-sm font-medium">
        {fileLabel}
        <input class={`${inputClass} text-sm`} type="file" name="file" accept={accept} />
      </label>
      <label class="block text-sm font-medium">
        {textLabel}
        <textarea class={`${inputClass} font-mono`} name="text" rows={6} placeholder={placeholder}></textarea>
      </label>
      <p class="text-sm text-slate-600 dark:text-slate-400">Choose a file or paste the text, up to {maxLabel}.</p>
    </>
  );
}
