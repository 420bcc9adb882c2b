// Loads the next works' large photos into the browser's cache (the server marks them immutable), so
// moving on is instant and they are there when the Wi-Fi drops.
const loading = new Set<HTMLImageElement>();
const loaded = new Set<string>();

export function prefetchImages(urls: readonly string[]): void {
  for (const url of urls) {
    if (loaded.has(url)) continue;
    loaded.add(url);
    const img = new Image();
    img.decoding = 'async';
    img.fetchPriority = 'low';
    loading.add(img);
    img.onload = () => loading.delete(img);
    img.onerror = () => {
      loading.delete(img);
      loaded.delete(url); // offline: try again next time
    };
    img.src = url;
  }
}
