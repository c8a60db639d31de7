import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';

/**
 * Scrolls the element with the given id into view when the page's URL ends with `#<id>` and the
 * element's content is ready: a router link changes the hash without scrolling, and a card that
 * loads its content would be scrolled to before its height is known.
 */
export function useScrollToAnchor(id: string, ready: boolean): void {
  const { hash, key } = useLocation();
  useEffect(() => {
    if (!ready || hash !== `#${id}`) {
      return;
    }
    document.getElementById(id)?.scrollIntoView({ block: 'start' });
    // the location key: following the same link again scrolls again
  }, [id, ready, hash, key]);
}
