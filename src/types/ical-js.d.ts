// ical.js 1.5 ships no types; this declares the part Rota uses (1.5 is pinned for FullCalendar 6).
declare module 'ical.js' {
  namespace ICAL {
    class Time {
      year: number;
      month: number;
      day: number;
      hour: number;
      minute: number;
      second: number;
      isDate: boolean;
      zone: { tzid: string } | null;
      toUnixTime(): number;
      toString(): string;
    }
    class Duration {
      toSeconds(): number;
    }
    class Component {
      constructor(jcal: unknown);
      name: string;
      getAllSubcomponents(name: string): Component[];
      getFirstSubcomponent(name: string): Component | null;
      getFirstPropertyValue(name: string): unknown;
      getFirstProperty(name: string): Property | null;
      getAllProperties(name?: string): Property[];
    }
    class Property {
      name: string;
      getFirstValue(): unknown;
      getValues(): unknown[];
      getParameter(name: string): string | undefined;
    }
    class RecurIterator {
      next(): Time | null;
    }
    class Event {
      constructor(component: Component);
      summary: string | null;
      description: string | null;
      location: string | null;
      uid: string;
      startDate: Time;
      endDate: Time;
      isRecurring(): boolean;
      iterator(start?: Time): RecurIterator;
    }
    function parse(text: string): unknown;
    /** Value types of properties; unknown ones (X-WR-CALNAME) are kept raw unless declared. */
    const design: { defaultSet: { property: Record<string, { defaultType: string }> } };
    /** The global registry ical.js resolves TZID parameters with. */
    const TimezoneService: {
      reset(): void;
      register(vtimezone: Component): void;
    };
  }
  export default ICAL;
}
