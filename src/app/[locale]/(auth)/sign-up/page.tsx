import { AuthCard } from '@/components/auth/auth-card.tsx';

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return <AuthCard mode="sign-up" next={next} />;
}
