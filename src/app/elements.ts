/** The page's fixed elements (index.html), looked up once; a missing one is an error naming its id. */
import { byId } from './dom.ts';

export function findElements() {
  return {
    status: byId('status', HTMLElement),
    formRoot: byId('sweep-form', HTMLElement),
    summary: byId('sweep-summary', HTMLElement),
    formError: byId('form-error', HTMLElement),
    urlError: byId('url-error', HTMLElement),
    pasteText: byId('paste-json', HTMLTextAreaElement),
    pasteAdd: byId('paste-add', HTMLButtonElement),
    pasteClear: byId('paste-clear', HTMLButtonElement),
    pasteError: byId('paste-error', HTMLElement),
    pasteList: byId('paste-list', HTMLElement),
    colorBy: byId('color-by', HTMLSelectElement),
    yScaleSel: byId('y-scale', HTMLSelectElement),
    opacity: byId('opacity', HTMLInputElement),
    plotBox: byId('plot', HTMLElement),
    axesCanvas: byId('axes', HTMLCanvasElement),
    tooltip: byId('tooltip', HTMLElement),
    colorBar: byId('colorbar', HTMLCanvasElement),
    pinsBody: byId('pins-body', HTMLElement),
    pinsEmpty: byId('pins-empty', HTMLElement),
    copyAllPins: byId('copy-pins', HTMLButtonElement),
    jsonOut: byId('json-out', HTMLTextAreaElement),
    exportPng: byId('export-png', HTMLButtonElement),
    exportCsv: byId('export-csv', HTMLButtonElement),
    shareBtn: byId('share', HTMLButtonElement),
    shareUrl: byId('share-url', HTMLInputElement),
    busy: byId('busy', HTMLElement),
    plotTitle: byId('plot-title', HTMLElement),
    xScaleSel: byId('x-scale', HTMLSelectElement),
    resetZoom: byId('reset-zoom', HTMLButtonElement),
    facetBy: byId('facet-by', HTMLSelectElement),
    lightTheme: byId('light-theme', HTMLInputElement),
    exportSvg: byId('export-svg', HTMLButtonElement),
    crosshair: byId('crosshair', HTMLElement),
    brush: byId('brush', HTMLElement),
    readout: byId('readout', HTMLElement),
    legend: byId('legend', HTMLElement),
    facets: byId('facets', HTMLElement),
  } as const;
}

export type Elements = ReturnType<typeof findElements>;
